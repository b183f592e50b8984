/** @jsxImportSource react */
/**
 * The page the browser test mounts: every component of this slice, read from the source (esbuild
 * bundles it). The publishable key comes from a <meta> tag: the page runs under a CSP with no
 * inline scripts.
 */
import { useState } from "react";
import { createRoot } from "react-dom/client";
import {
  FoyerProvider,
  OrganizationSwitcher,
  Protect,
  RedirectToSignIn,
  SignedIn,
  SignedOut,
  SignIn,
  SignInButton,
  SignOutButton,
  UserButton,
  UserProfile,
  useAtlassianAccounts,
  useAuth,
  useFoyer,
  useOrganization,
  useUser,
} from "../index.js";

function Status() {
  const auth = useAuth();
  const [token, setToken] = useState("-");
  const { user } = useUser();
  const { accounts } = useAtlassianAccounts();
  return (
    <dl>
      <dt>Auth</dt>
      <dd data-testid="auth">{!auth.isLoaded ? "loading" : auth.isSignedIn ? "signed in" : "signed out"}</dd>
      <dt>User</dt>
      <dd data-testid="user-id">{user?.id ?? "-"}</dd>
      <dt>Name</dt>
      <dd data-testid="who">{user ? `${user.first_name} ${user.last_name}` : "-"}</dd>
      <dt>Token</dt>
      <dd>
        <span data-testid="token">{token}</span>{" "}
        <button
          type="button"
          onClick={() =>
            void auth.getToken({ skipCache: true }).then((t) => setToken(t ? "a token" : "none"))
          }
        >
          Get a fresh token
        </button>
      </dd>
      <dt>Sites</dt>
      <dd data-testid="sites">{accounts.flatMap((a) => a.sites.map((s) => s.name)).join(", ") || "-"}</dd>
    </dl>
  );
}

/** /protected: a page only for signed-in users, as a router would mount it. */
function ProtectedPage() {
  return (
    <>
      <SignedOut>
        <RedirectToSignIn />
      </SignedOut>
      <SignedIn>
        <p data-testid="protected-page">Only for members</p>
      </SignedIn>
    </>
  );
}

/** /account: the page <UserButton/>'s "Manage account" links to. */
function AccountPage() {
  return (
    <>
      <header className="app-header">
        <span>React Hello</span>
        <SignedIn>
          <UserButton />
        </SignedIn>
      </header>
      <main>
        <Status />
        <SignedOut>
          <SignIn appName="React Hello" />
        </SignedOut>
        <UserProfile grantScopes={["read:jira-work"]} />
      </main>
    </>
  );
}

/** The `o` claim of a session token (the token's middle part is base64url JSON). */
function orgClaimOf(jwt: string | null): { id?: string; cloud_id?: string } {
  if (!jwt) return {};
  const part = jwt.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/");
  return (JSON.parse(atob(part.padEnd(Math.ceil(part.length / 4) * 4, "="))) as { o?: object }).o ?? {};
}

/** /orgs: <OrganizationSwitcher/>, the active organization, and the token's claim for it. */
function OrganizationsPage() {
  const foyer = useFoyer();
  const { organization } = useOrganization();
  const [claim, setClaim] = useState<{ id?: string; cloud_id?: string } | null>(null);
  return (
    <>
      <header className="app-header">
        <SignedIn>
          <OrganizationSwitcher />
          <UserButton />
        </SignedIn>
      </header>
      <main>
        <Status />
        <SignedOut>
          <SignIn appName="React Hello" />
        </SignedOut>
        <SignedIn>
          <p data-testid="active-org">{organization?.name ?? "-"}</p>
          <button
            type="button"
            onClick={() => void foyer?.session?.getToken().then((t) => setClaim(orgClaimOf(t)))}
          >
            Read the token
          </button>
          <p data-testid="claim-org">{claim ? `${claim.id ?? "-"} ${claim.cloud_id ?? "-"}` : "not read"}</p>
          <button type="button" onClick={() => void foyer?.connect.atlassian()}>
            Add another site
          </button>
        </SignedIn>
      </main>
    </>
  );
}

function App({ publishableKey }: { publishableKey: string }) {
  if (location.pathname === "/orgs") {
    return (
      <FoyerProvider publishableKey={publishableKey}>
        <OrganizationsPage />
      </FoyerProvider>
    );
  }
  if (location.pathname === "/account") {
    return (
      <FoyerProvider publishableKey={publishableKey}>
        <AccountPage />
      </FoyerProvider>
    );
  }
  if (location.pathname === "/protected") {
    return (
      <FoyerProvider publishableKey={publishableKey}>
        <ProtectedPage />
      </FoyerProvider>
    );
  }
  return (
    <FoyerProvider publishableKey={publishableKey}>
      <header className="app-header">
        <span>React Hello</span>
        <SignedIn>
          <UserButton userProfileUrl="/account" />
        </SignedIn>
      </header>
      <main>
        <Status />
        <SignedOut>
          <SignIn appName="React Hello" />
          <SignInButton>
            <button type="button">Sign in from my own button</button>
          </SignInButton>
        </SignedOut>
        <SignedIn>
          <p data-testid="signed-in">Welcome back</p>
          <Protect
            fallback={<p data-testid="protect-scope-fallback">Needs more access</p>}
            scopes={["no:such-scope"]}
          >
            <p data-testid="protect-scope">Has the scope</p>
          </Protect>
          <Protect
            scopes={["read:jira-user"]}
            fallback={<p data-testid="jira-scope-fallback">No Jira access</p>}
          >
            <p data-testid="jira-scope">Can read Jira users</p>
          </Protect>
          <SignOutButton />
        </SignedIn>
      </main>
    </FoyerProvider>
  );
}

const key = document.querySelector<HTMLMetaElement>('meta[name="foyer-publishable-key"]')?.content ?? "";
createRoot(document.getElementById("root")!).render(<App publishableKey={key} />);
