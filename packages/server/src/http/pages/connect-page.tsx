import { Layout } from "./layout.js";

export interface ConnectPageProps {
  nonce: string;
  applicationName: string;
  user: { name: string; email: string | null; imageUrl: string | null } | undefined;
  /** The Atlassian scopes asked for (on top of what the account already holds). */
  scopes: string[];
  cloudId: string | null;
  /** The form's target; absent when the request itself was refused. */
  action?: string;
  csrfToken?: string;
  error?: { code: string; message: string };
}

/**
 * "Connect Atlassian" for an agent or another app that needs more of the user's Atlassian grant:
 * who is signed in, what will be asked of Atlassian, and one button (a POST, so a link alone
 * changes nothing).
 */
export function ConnectPage(p: ConnectPageProps) {
  return (
    <Layout title={`Connect Atlassian to ${p.applicationName}`} nonce={p.nonce}>
      <h1>Connect Atlassian</h1>
      <p class="sub">for {p.applicationName}</p>
      {p.error && (
        <div class="alert" role="alert" data-error-code={p.error.code}>
          {p.error.message}
        </div>
      )}
      {p.user && (
        <div class="user">
          {p.user.imageUrl && <img src={p.user.imageUrl} alt="" referrerpolicy="no-referrer" />}
          <div>
            <strong data-testid="user-name">{p.user.name}</strong>
            {p.user.email && <div>{p.user.email}</div>}
          </div>
        </div>
      )}
      {p.action && p.csrfToken && (
        <form id="connect" method="post" action={p.action}>
          <input type="hidden" name="_csrf" value={p.csrfToken} />
          <input type="hidden" name="scope" value={p.scopes.join(" ")} />
          {p.cloudId && <input type="hidden" name="cloud_id" value={p.cloudId} />}
          {p.scopes.length > 0 ? (
            <p>
              Atlassian will ask you to allow:{" "}
              {p.scopes.map((s, i) => (
                <>
                  {i > 0 && ", "}
                  <code data-testid="scope">{s}</code>
                </>
              ))}
              , as well as what you already allowed.
            </p>
          ) : (
            <p>Atlassian will ask you to allow again what you already allowed.</p>
          )}
          {p.cloudId && (
            <p class="sub" data-testid="cloud-id">
              On Atlassian's page, choose the site the request is for (cloud id {p.cloudId}).
            </p>
          )}
          <button class="btn" type="submit">
            Continue to Atlassian
          </button>
        </form>
      )}
    </Layout>
  );
}

/** Where the connect flow ends: done (or why not), and back to the agent. */
export function ConnectDonePage(p: {
  nonce: string;
  applicationName: string;
  error?: { code: string; message: string };
}) {
  return (
    <Layout title={p.error ? "Atlassian was not connected" : "Atlassian is connected"} nonce={p.nonce}>
      {p.error ? (
        <>
          <h1>Atlassian was not connected</h1>
          <div class="alert" role="alert" data-error-code={p.error.code}>
            {p.error.message}
          </div>
          <p class="sub">Go back to your agent and ask it to try again.</p>
        </>
      ) : (
        <>
          <h1 data-testid="connect-done">Done</h1>
          <p>Atlassian is connected to {p.applicationName}.</p>
          <p class="sub">You can close this tab and go back to your agent.</p>
        </>
      )}
    </Layout>
  );
}
