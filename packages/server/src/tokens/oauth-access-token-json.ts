import { parseScopeString } from "../providers/atlassian/scopes.js";
import { type AtlassianSite, siteApiBaseUrls } from "../providers/atlassian/sites.js";
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
export function oauthAccessTokenJson(apiUrl: string, fresh: FreshAccessToken) {
  const { account } = fresh;
  const sites = JSON.parse(account.sites) as AtlassianSite[];
  return {
    object: "oauth_access_token" as const,
    external_account_id: account.id,
    provider_user_id: account.provider_user_id,
    provider: account.provider,
    token: fresh.accessToken,
    scopes: parseScopeString(account.approved_scopes),
    expires_at: Math.floor(fresh.expiresAt / 1000),
    expires_at_ms: fresh.expiresAt,
    label: sites.find((s) => s.id === account.last_added_site_id)?.name ?? sites[0]?.name ?? null,
    public_metadata: {},
    status: account.status,
    sites: sites.map((site) => ({
      id: site.id,
      cloud_id: site.id,
      url: site.url,
      name: site.name,
      scopes: site.scopes,
      avatar_url: site.avatar_url,
      api_base_urls: siteApiBaseUrls(apiUrl, site.id),
    })),
  };
}
