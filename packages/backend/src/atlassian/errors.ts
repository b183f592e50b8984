import type { OAuthAccessTokenSiteJSON } from "@foyer/contract";

/**
 * Why `atlassian.fetch` could not make the call. A closed set: `switch (err.code)` and the
 * compiler checks the cases. (A grant Atlassian no longer accepts is not one of them: the Backend
 * API says so, and that arrives as a FoyerApiError with `code: "oauth_reauthorization_required"`.)
 */
export type AtlassianErrorCode =
  /**
   * None of the user's Atlassian accounts can reach this cloud id now: never granted, or the user
   * lost access to the site (Foyer re-reads the sites at every refresh). Offer "Connect Atlassian"
   * for that site, or stop showing it.
   */
  | "site_not_connected"
  /**
   * Atlassian answered 401 even to a token refreshed for this call. The grant works for Foyer
   * (the refresh succeeded) but not for this API on this site: a scope of the API's family is
   * missing on the site (e.g. Confluence v2 needs granular scopes), or the app lost its access
   * there. Offer "Reconnect Atlassian" asking for the scopes the call needs.
   */
  | "atlassian_unauthorized"
  /** The path would leave the site's API base URL (an absolute URL, `..`, another cloud id): a bug in the caller. */
  | "invalid_path"
  /** Atlassian could not be reached (DNS, connection, timeout). Retry later. */
  | "atlassian_unreachable";

/** Thrown by `atlassian.fetch`; `code` says what the app should do (see AtlassianErrorCode). */
export class AtlassianError extends Error {
  readonly code: AtlassianErrorCode;
  /** The cloud id the call was for. */
  readonly cloudId: string;
  /** The site, when the call reached one (not for `site_not_connected`). */
  readonly site: OAuthAccessTokenSiteJSON | undefined;
  /** Atlassian's last answer, when there was one (body unread). */
  readonly response: Response | undefined;

  constructor(
    code: AtlassianErrorCode,
    message: string,
    init: { cloudId: string; site?: OAuthAccessTokenSiteJSON; response?: Response; cause?: unknown },
  ) {
    super(message, { cause: init.cause });
    this.name = "AtlassianError";
    this.code = code;
    this.cloudId = init.cloudId;
    this.site = init.site;
    this.response = init.response;
  }
}
