import type { OAuthAccessTokenJSON, OAuthAccessTokenOkJSON, OAuthAccessTokenSiteJSON } from "@foyer/contract";

/** The Atlassian products whose REST APIs `atlassian.fetch` calls through the gateway. */
export type AtlassianProduct = "jira" | "confluence";

/** The account whose token reaches a site, and that site (with its own scopes and base URLs). */
export interface TokenForSite {
  token: OAuthAccessTokenOkJSON;
  site: OAuthAccessTokenSiteJSON;
}

/**
 * The token that reaches `cloudId`: the first account (of several a user may have connected)
 * whose accessible sites include it. Never "the first site": Atlassian lists sites in no
 * meaningful order, and each account's token only reaches its own sites.
 */
export function tokenForSite(
  items: readonly OAuthAccessTokenJSON[],
  cloudId: string,
): TokenForSite | undefined {
  for (const token of items) {
    if (token.token === null) continue;
    const site = token.sites.find((s) => s.cloud_id === cloudId && s.status === "accessible");
    if (site) return { token, site };
  }
  return undefined;
}

/**
 * Atlassian may answer a call made with an expired or revoked token with 404 on Confluence's v2
 * paths and 403 on its v1 paths instead of 401 (atlassian-3lo §11 [M]). Such an answer counts as
 * "token refused" only when the token is past its expiry by our own clock; otherwise it is taken
 * at its word (a missing page, a missing permission).
 */
export function maskedDeadToken(
  product: AtlassianProduct,
  path: string,
  status: number,
  expiresAtMs: number,
  nowMs: number,
): boolean {
  if (product !== "confluence" || nowMs < expiresAtMs) return false;
  if (status === 404) return path.startsWith("/wiki/api/v2/");
  if (status === 403) return path.startsWith("/wiki/rest/api/");
  return false;
}
