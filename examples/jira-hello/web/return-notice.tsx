/** @jsxImportSource react */
import { errorWords, useRedirectError } from "@foyer/react";

/**
 * The words for a Reconnect or a request for more access that came back with `?foyer_error=`:
 * signed in, nothing was lost, so they say what did not change. (Signed out, <SignIn/> says it.)
 */
const SIGNED_IN_WORDS: Record<string, string> = {
  oauth_access_denied: "You cancelled on Atlassian's page; nothing changed.",
  atlassian_site_required:
    "Atlassian listed no site for that choice, so nothing changed. Pick a Jira or Confluence site on Atlassian's page.",
  external_account_exists: "That Atlassian account is already connected to another user of this app.",
};

export function ReturnNotice() {
  const error = useRedirectError();
  if (!error) return null;
  const words = SIGNED_IN_WORDS[error.code] ?? errorWords(error.code, error.message).detail;
  return (
    <div className="app-notice app-notice--error" role="alert">
      <p>{words}</p>
      <p className="app-muted">Code: {error.code}</p>
    </div>
  );
}
