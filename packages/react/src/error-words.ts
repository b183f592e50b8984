import type { ErrorCode } from "@foyer/contract";
import { errorMessage } from "@foyer/js";

/** What the user reads, and what they can do, for a code in `foyer_error` or a failed call. */
export interface ErrorWords {
  code: string;
  title: string;
  detail: string;
}

/**
 * The sign-in failures a person meets most, in their words. The rest read @foyer/js's
 * `errorMessage` (the catalogue's own messages), so a code added there is never shown bare.
 */
const WORDS: Partial<Record<ErrorCode | "network_error", Omit<ErrorWords, "code">>> = {
  oauth_access_denied: {
    title: "Sign-in cancelled",
    detail:
      "You cancelled on Atlassian's page, so nothing was shared with this app. Continue with Atlassian to try again.",
  },
  atlassian_site_required: {
    title: "No Atlassian site to use",
    detail:
      "Your Atlassian account has no site this app can use. Ask your Atlassian admin for access to a Jira or Confluence site (or create a site), then sign in again and choose it on Atlassian's page.",
  },
  oauth_state_invalid: {
    title: "This sign-in expired",
    detail: "The sign-in link was already used or too old. Continue with Atlassian to start again.",
  },
  oauth_state_expired: {
    title: "This sign-in expired",
    detail: "Signing in took longer than Foyer waits. Continue with Atlassian to start again.",
  },
  oauth_code_invalid: {
    title: "This sign-in expired",
    detail: "Atlassian's answer was already used or too old. Continue with Atlassian to start again.",
  },
  oauth_provider_unavailable: {
    title: "Atlassian did not answer",
    detail: "Atlassian did not answer in time. Try again in a moment.",
  },
  external_account_exists: {
    title: "Account already in use",
    detail:
      "This Atlassian account is already connected to another user of this app. Sign in with that user instead.",
  },
  external_account_mismatch: {
    title: "A different Atlassian account came back",
    detail:
      "Atlassian's page used another of your Atlassian accounts, so nothing changed. Switch to the account you meant on Atlassian's page (its account menu), then try again.",
  },
  network_error: {
    title: "Foyer could not be reached",
    detail:
      "This page could not reach its sign-in service. Check your connection; if it persists, the app's allowed origins may not include this page.",
  },
};

/**
 * Words for an error code; unknown codes still get a sentence and keep their code for support.
 * `message`, the failed call's own (it may name this page's origin), is preferred to the
 * catalogue's general one.
 */
export function errorWords(code: string, message?: string): ErrorWords {
  const own = WORDS[code as keyof typeof WORDS];
  if (own) return { code, ...own };
  return { code, title: "Sign-in did not finish", detail: message || errorMessage(code) };
}

/** This page's URL without `foyer_error`, so a new attempt does not come back showing the old error. */
export function currentUrlWithoutError(): string | undefined {
  if (typeof location === "undefined") return undefined;
  const url = new URL(location.href);
  url.searchParams.delete("foyer_error");
  return url.href;
}
