import { Layout } from "./layout.js";

export interface SignedInPageProps {
  nonce: string;
  applicationName: string;
  user: { name: string; email: string | null; imageUrl: string | null } | undefined;
  signInUrl: string;
  /** The app (the instance's after-sign-in URL): the way back from this page, when there is one. */
  appUrl: string | null;
}

/** Where a sign-in lands when the app named no redirect_url: who you are, and nothing more. */
export function SignedInPage(p: SignedInPageProps) {
  return (
    <Layout
      title={p.user ? `Signed in to ${p.applicationName}` : `Sign in to ${p.applicationName}`}
      nonce={p.nonce}
    >
      {p.user ? (
        <>
          <h1>You are signed in</h1>
          <p class="sub">to {p.applicationName}</p>
          <div class="user">
            {p.user.imageUrl && <img src={p.user.imageUrl} alt="" referrerpolicy="no-referrer" />}
            <div>
              <strong data-testid="user-name">{p.user.name}</strong>
              {p.user.email && <div>{p.user.email}</div>}
            </div>
          </div>
          {p.appUrl && (
            <a class="btn" href={p.appUrl} data-testid="back-to-app">
              Continue to {p.applicationName}
            </a>
          )}
        </>
      ) : (
        <>
          <h1>You are not signed in</h1>
          <p class="sub">to {p.applicationName}</p>
          <a class="btn" href={p.signInUrl}>
            Sign in
          </a>
        </>
      )}
    </Layout>
  );
}
