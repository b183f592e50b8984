import type { AtlassianSiteJSON, ExternalAccountStatus } from "./users.js";

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
 */
export interface OAuthAccessTokenJSON {
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
  /** Foyer: the sites the token reaches. */
  sites: OAuthAccessTokenSiteJSON[];
}
