import { Layout } from "./layout.js";

/** What each OpenID scope lets the client do, in words; other scopes are shown as they are. */
const SCOPE_WORDS: Record<string, string> = {
  openid: "Know who you are (your Foyer user id)",
  profile: "See your name and picture",
  email: "See your email address",
  offline_access: "Stay connected while you are away (a refresh token)",
};

export interface ConsentPageProps {
  nonce: string;
  applicationName: string;
  clientName: string;
  /** For a client identified by a metadata document URL: that URL's host, who really asks. */
  clientHost: string | undefined;
  redirectUri: string;
  scopes: string[];
  resource: { url: string; name: string } | undefined;
  user: { name: string; email: string | null };
  approveAction: string;
  denyAction: string;
  formToken: string;
}

/** The consent step: who asks, for what, where the answer goes; Approve and Deny as POST forms. */
export function ConsentPage(p: ConsentPageProps) {
  return (
    <Layout title={`Allow ${p.clientName}?`} nonce={p.nonce}>
      <h1 data-testid="consent-title">Allow {p.clientName}?</h1>
      <p class="sub">
        to use your {p.applicationName} account ({p.user.email ?? p.user.name})
      </p>
      {p.clientHost && (
        <p class="note" data-testid="client-host">
          This application is identified by {p.clientHost}. Approve only if you trust that site.
        </p>
      )}
      <p>It will be able to:</p>
      <ul data-testid="consent-scopes">
        {p.scopes.map((s) => (
          <li>{SCOPE_WORDS[s] ?? (p.resource ? `${s} on ${p.resource.name}` : s)}</li>
        ))}
      </ul>
      {p.resource && (
        <p>
          Access is for <strong data-testid="consent-resource">{p.resource.name}</strong> ({p.resource.url})
          only.
        </p>
      )}
      <p>
        You will be sent back to <code data-testid="consent-redirect">{p.redirectUri}</code>
      </p>
      <form method="post" action={p.approveAction}>
        <input type="hidden" name="form_token" value={p.formToken} />
        <button class="btn" type="submit" data-testid="approve">
          Allow
        </button>
      </form>
      <form method="post" action={p.denyAction}>
        <input type="hidden" name="form_token" value={p.formToken} />
        <button class="btn secondary" type="submit" data-testid="deny">
          Deny
        </button>
      </form>
    </Layout>
  );
}
