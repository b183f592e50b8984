import type { ErrorEntryJSON } from "./errors.js";
import type { AtlassianSiteJSON, ExternalAccountStatus, ReauthorizationReason } from "./users.js";

/**
 * One site of an access-token answer: the stored site plus the API base URLs an app calls with
 * the token (3LO tokens go to api.atlassian.com/ex/{product}/{cloudid}, never to the site URL).
 */
export interface OAuthAccessTokenSiteJSON extends AtlassianSiteJSON {
  /** The same as `id`, under Atlassian's name for it. */
  cloud_id: string;
  api_base_urls: { jira: string; confluence: string };
}

/**
 * One item of `GET /v1/users/{id}/oauth_access_tokens/oauth_atlassian`, in Clerk's shape
 * (`@clerk/backend`'s `OauthAccessToken`) plus Foyer's status and sites. Never a refresh token.
 * With several Atlassian accounts each item stands alone: one that cannot give a token is an
 * `OAuthAccessTokenErrorJSON` (`token: null` and its own `error`), and the request fails only
 * when every account fails.
 */
export type OAuthAccessTokenJSON = OAuthAccessTokenOkJSON | OAuthAccessTokenErrorJSON;

/** An account whose fresh access token came back. */
export interface OAuthAccessTokenOkJSON {
  object: "oauth_access_token";
  external_account_id: string;
  provider_user_id: string;
  provider: "oauth_atlassian";
  /** The Atlassian access token: send it as `Authorization: Bearer` to the sites' API base URLs. */
  token: string;
  scopes: string[];
  /** Unix seconds, as Clerk serves it. */
  expires_at: number;
  /** Foyer: the same instant in milliseconds. */
  expires_at_ms: number;
  label: string | null;
  public_metadata: Record<string, unknown>;
  /** Foyer. */
  status: ExternalAccountStatus;
  /** Foyer: the sites the token reaches now (never a lost one), each with its own scopes. */
  sites: OAuthAccessTokenSiteJSON[];
  reauthorization_reason?: undefined;
  error?: undefined;
}

/** An account that could not give a token (the others in the same answer may have). */
export interface OAuthAccessTokenErrorJSON {
  object: "oauth_access_token";
  external_account_id: string;
  provider_user_id: string;
  provider: "oauth_atlassian";
  token: null;
  scopes: string[];
  label: string | null;
  public_metadata: Record<string, unknown>;
  status: ExternalAccountStatus;
  /** Set when `status` is `reauthorization_required`. */
  reauthorization_reason: ReauthorizationReason | null;
  /** Why: the same entry a failed request would carry (`oauth_reauthorization_required`, …). */
  error: ErrorEntryJSON;
}
