import { Layout } from "./layout.js";

export interface ErrorPageProps {
  title: string;
  message: string;
  /** A hint for the developer, e.g. which scopes to add. */
  hint?: string;
}

/** Atlassian's own error page: misconfigurations never redirect back to the app. */
export function ErrorPage(props: ErrorPageProps) {
  return (
    <Layout title={props.title}>
      <div class="card" role="alert">
        <h1>{props.title}</h1>
        <p>{props.message}</p>
        {props.hint ? <p class="muted">{props.hint}</p> : null}
      </div>
    </Layout>
  );
}
