import { Layout } from "./layout.js";

/** A dead end with a plain explanation: used when not even the instance is known (bad callback). */
export function ErrorPage(p: { nonce: string; code: string; message: string }) {
  return (
    <Layout title="Sign-in problem" nonce={p.nonce}>
      <h1>Sign-in problem</h1>
      <div class="alert" role="alert" data-error-code={p.code}>
        {p.message}
      </div>
      <p class="sub">Go back to the app and start signing in again.</p>
    </Layout>
  );
}
