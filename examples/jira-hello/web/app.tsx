/** @jsxImportSource react */
import {
  FoyerProvider,
  OrganizationSwitcher,
  SignedIn,
  SignedOut,
  SignIn,
  UserButton,
  UserProfile,
  useOrganizationList,
} from "@foyer/react";
import { ISSUES_SCOPE } from "../src/scopes.js";
import { HomePage } from "./home.js";

/**
 * The whole app: Foyer's provider around a header (the organization switcher and the user's
 * menu) and one of two pages. Every piece of auth UI is a component of @foyer/react; the app
 * only adds its Jira data. Two pages need no router: the server serves the same HTML for both.
 */
export function App({ publishableKey }: { publishableKey: string }) {
  return (
    <FoyerProvider publishableKey={publishableKey}>
      <header className="app-header">
        <div className="app-header__start">
          <a className="app-header__title" href="/">
            Jira Hello
          </a>
          {/* On the left, so its menu opens into the page rather than past its right edge. */}
          <SignedIn>
            <Switcher />
          </SignedIn>
        </div>
        <SignedIn>
          {/* afterSignOutUrl reloads the page: a sign-out the user asked for needs no notice. */}
          <UserButton userProfileUrl="/account" afterSignOutUrl="/" />
        </SignedIn>
      </header>
      <main className="app-main">{location.pathname === "/account" ? <AccountPage /> : <HomePage />}</main>
    </FoyerProvider>
  );
}

/** Organizations exist when the instance makes one per Atlassian site: only then is there a choice. */
function Switcher() {
  const { userMemberships } = useOrganizationList();
  return userMemberships.data?.length ? <OrganizationSwitcher /> : null;
}

/** /account, where <UserButton/>'s "Manage account" leads: Foyer's account page, as it comes. */
function AccountPage() {
  return (
    <>
      <p>
        <a href="/">← Back to your Jira data</a>
      </p>
      <SignedOut>
        <SignIn appName="Jira Hello" />
      </SignedOut>
      <UserProfile grantScopes={[ISSUES_SCOPE]} />
    </>
  );
}
