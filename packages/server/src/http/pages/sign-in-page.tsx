import { raw } from "hono/html";
import { AtlassianMark, Layout } from "./layout.js";

export interface SignInPageProps {
  nonce: string;
  applicationName: string;
  /** Form target that starts the flow; absent when the page can only show an error. */
  action: string | undefined;
  redirectUrl: string | null;
  error: { code: string; message: string } | undefined;
  emulated: boolean;
  /** Submit the form at once (the SDK's one-click redirect flow). */
  autoSubmit: boolean;
}

/** The hosted sign-in page: the app's name, one button, and any error said plainly. */
export function SignInPage(p: SignInPageProps) {
  return (
    <Layout title={`Sign in to ${p.applicationName}`} nonce={p.nonce}>
      <h1>Sign in</h1>
      <p class="sub">to continue to {p.applicationName}</p>
      {p.error && (
        <div class="alert" role="alert" data-error-code={p.error.code}>
          {p.error.message}
        </div>
      )}
      {p.action && (
        <form method="post" action={p.action} id="sign-in">
          <input type="hidden" name="strategy" value="oauth_atlassian" />
          {p.redirectUrl && <input type="hidden" name="redirect_url" value={p.redirectUrl} />}
          <button class="btn" type="submit">
            <AtlassianMark />
            Continue with Atlassian
          </button>
        </form>
      )}
      {p.emulated && (
        <p class="note">
          Development: Atlassian is emulated on this machine. You will pick a demo Atlassian account on the
          next page.
        </p>
      )}
      {p.autoSubmit && p.action && !p.error && (
        // raw: JSX would HTML-escape the quotes, and a script's text is not entity-decoded.
        <script nonce={p.nonce}>{raw(`document.getElementById("sign-in").submit();`)}</script>
      )}
    </Layout>
  );
}
