/**
 * A React 18 front end as a user writes it after `npm i @foyer/react react@18 react-dom@18`:
 * react18.browser.test.ts type-checks it against @types/react@18, bundles it with esbuild from
 * the installed packages and drives it in Chromium. The publishable key comes from a <meta> tag:
 * the page runs under a CSP with no inline scripts.
 */
import {
  FoyerProvider,
  OrganizationSwitcher,
  Protect,
  SignedIn,
  SignedOut,
  SignIn,
  SignInButton,
  UserButton,
  UserProfile,
  useUser,
} from "@foyer/react";
import { StrictMode, version } from "react";
import { createRoot } from "react-dom/client";

function Who() {
  const { user } = useUser();
  return <p data-testid="who">{user ? `${user.first_name} ${user.last_name}` : "-"}</p>;
}

function App({ publishableKey }: { publishableKey: string }) {
  return (
    <FoyerProvider publishableKey={publishableKey}>
      <header className="app-header">
        <span data-testid="react-version">{version}</span>
        <SignedIn>
          <OrganizationSwitcher />
          <UserButton userProfileUrl="/" />
        </SignedIn>
      </header>
      <main>
        <SignedOut>
          <SignIn appName="React 18 Hello" />
          <SignInButton>
            <button type="button">Sign in from my own button</button>
          </SignInButton>
        </SignedOut>
        <SignedIn>
          <Who />
          <Protect scopes={["read:jira-user"]} fallback={<p data-testid="jira-fallback">No Jira access</p>}>
            <p data-testid="jira-scope">Can read Jira users</p>
          </Protect>
          <UserProfile grantScopes={["read:jira-work"]} />
        </SignedIn>
      </main>
    </FoyerProvider>
  );
}

const key = document.querySelector<HTMLMetaElement>('meta[name="foyer-publishable-key"]')?.content ?? "";
// StrictMode, as create-vite and Next.js start an app: effects mount, unmount and mount again.
createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App publishableKey={key} />
  </StrictMode>,
);
