import type { OAuthAccessTokenErrorJSON, OAuthAccessTokenOkJSON } from "@foyer/contract";
import type { ApiError } from "../errors/api-error.js";
import { type ExternalAccount, externalAccountFromRow } from "../external-accounts/external-account.js";
import { allowedSites } from "../instances/allowed-atlassian-sites.js";
import { parseScopeString } from "../providers/atlassian/scopes.js";
import { accessibleSites, siteApiBaseUrls } from "../providers/atlassian/sites.js";
import type { FreshAccessToken } from "./fresh-token.js";

/**
 * One item of `GET /v1/users/{id}/oauth_access_tokens/oauth_atlassian`, in Clerk's shape
 * (`@clerk/backend`'s OauthAccessToken reads external_account_id, provider, token, scopes,
 * expires_at, label, public_metadata), plus Foyer's Atlassian additions: the account's status
 * and its sites, each with the API base URLs an app calls with the token. Never the refresh token.
 *
 * `expires_at` is in Unix seconds, as Clerk serves it; `expires_at_ms` carries Foyer's usual
 * milliseconds.
 */
export function oauthAccessTokenJson(
  apiUrl: string,
  fresh: FreshAccessToken,
  allowList: readonly string[],
  /** Only this site (a site organization's cloud id), when the app asked for one organization. */
  onlyCloudId?: string,
): OAuthAccessTokenOkJSON {
  // The account as the refresh left it: a refresh re-reads the sites.
  const account = externalAccountFromRow(fresh.account);
  const { row } = account;
  return {
    object: "oauth_access_token",
    external_account_id: row.id,
    provider_user_id: row.provider_user_id,
    provider: row.provider,
    token: fresh.accessToken,
    scopes: parseScopeString(row.approved_scopes),
    expires_at: Math.floor(fresh.expiresAt / 1000),
    expires_at_ms: fresh.expiresAt,
    label: account.label,
    public_metadata: {},
    status: row.status,
    // Only the sites the token reaches now (an app must never call a lost one: it answers 401),
    // and of those only the instance's allowed ones: the app serves no other site's people.
    sites: allowedSites(allowList, accessibleSites(account.sites))
      .filter((site) => onlyCloudId === undefined || site.id === onlyCloudId)
      .map((site) => ({
        ...site,
        cloud_id: site.id,
        api_base_urls: siteApiBaseUrls(apiUrl, site.id),
      })),
  };
}

/** An account of the answer that could not give a token: who it is, and why (its own error). */
export function oauthAccessTokenErrorJson(
  account: ExternalAccount,
  error: ApiError,
): OAuthAccessTokenErrorJSON {
  const { row } = account;
  return {
    object: "oauth_access_token",
    external_account_id: row.id,
    provider_user_id: row.provider_user_id,
    provider: row.provider,
    token: null,
    scopes: parseScopeString(row.approved_scopes),
    label: account.label,
    public_metadata: {},
    // The error may have just marked the account; say what it is now.
    status: error.code === "oauth_reauthorization_required" ? "reauthorization_required" : row.status,
    reauthorization_reason:
      (error.meta.reauthorization_reason as OAuthAccessTokenErrorJSON["reauthorization_reason"]) ??
      row.reauthorization_reason,
    error: error.toBody().errors[0]!,
  };
}
