/** @jsxImportSource react */
import { SignedIn, SignedOut, SignIn, useAuth } from "@foyer/react";
import { useEffect, useRef, useState } from "react";
import { JiraData } from "./jira-data.js";
import { ReturnNotice } from "./return-notice.js";

/** "/": signed out, Foyer's sign-in card; signed in, what the app's server fetched from Atlassian. */
export function HomePage() {
  const ended = useSessionEnded();
  return (
    <>
      <SignedOut>
        <p className="app-tagline">
          Sign in with Atlassian through Foyer, then this app's server calls Jira for you.
        </p>
        {ended ? (
          <p className="app-notice" role="status">
            Your session has ended. Sign in again to continue.
          </p>
        ) : null}
        <SignIn appName="Jira Hello" />
      </SignedOut>
      <SignedIn>
        <ReturnNotice />
        <JiraData />
      </SignedIn>
    </>
  );
}

/**
 * True once this page saw the user signed in and then signed out without reloading: the session
 * was revoked (dashboard, Backend API) or ended in another tab, and the SDK noticed at its next
 * token mint (within a minute). A sign-out from the user's menu reloads the page instead.
 */
function useSessionEnded(): boolean {
  const { isLoaded, isSignedIn } = useAuth();
  const wasSignedIn = useRef(false);
  const [ended, setEnded] = useState(false);
  useEffect(() => {
    if (!isLoaded) return;
    if (wasSignedIn.current && !isSignedIn) setEnded(true);
    wasSignedIn.current = isSignedIn;
  }, [isLoaded, isSignedIn]);
  return ended;
}
