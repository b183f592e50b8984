/**
 * Scope knowledge the consent page and the checks need (atlassian-3lo §7, scope tables S30).
 */

/**
 * Identity scopes: they need no site, so a consent asking only for these shows no picker and an
 * account without any site may accept it (atlassian-3lo §11 [H]).
 */
export const IDENTITY_SCOPES: ReadonlySet<string> = new Set([
  "read:me",
  "read:account",
  "offline_access",
  "openid",
  "profile",
  "email",
  "report:personal-data",
]);

/** The OpenID scopes have no `verb:thing` shape but Atlassian knows them. */
const BARE_SCOPES = new Set(["offline_access", "openid", "profile", "email"]);

const TITLES: Record<string, string> = {
  "read:me": "View active user profile",
  "read:account": "View user profiles",
  openid: "Confirm your identity",
  profile: "View your profile",
  email: "View your email address",
  "report:personal-data": "Report personal data",
  offline_access: "Maintain access to data you have given it access to",
  "read:jira-user": "View user profiles",
  "read:jira-work": "View Jira issue data",
  "write:jira-work": "Create and manage issues",
  "manage:jira-project": "Manage project settings",
  "manage:jira-configuration": "Manage Jira global settings",
  "manage:jira-webhook": "Manage Jira webhooks",
  "read:confluence-content.all": "Read all content, including content body",
  "read:confluence-content.summary": "Read Confluence content summary",
  "write:confluence-content": "Create pages, blogs, comments and questions",
  "read:confluence-space.summary": "Read Confluence space summary",
  "read:confluence-user": "View user details",
  "search:confluence": "Search Confluence content and space summaries",
  "read:space:confluence": "View space details",
  "read:page:confluence": "View pages",
  "write:page:confluence": "Create and update pages",
  "read:issue:jira": "View issues",
};

/** Atlassian splits its console into APIs; its error pages name them. */
export type AtlassianApi = "User identity API" | "Jira API" | "Confluence API" | "Atlassian API";

/** Space separated; `+` arrives already decoded as a space by URL form decoding. */
export function parseScopeParam(raw: string | undefined): string[] {
  const scopes = (raw ?? "").split(/\s+/).filter((s) => s.length > 0);
  return [...new Set(scopes)];
}

/**
 * Whether Atlassian would recognise the scope at all. Real Atlassian keeps a registry; the
 * shapes `verb:thing` (classic) and `verb:thing:product` (granular) are close enough offline.
 */
export function isSupportedScope(scope: string): boolean {
  return BARE_SCOPES.has(scope) || /^[a-z]+:[a-z0-9.-]+(:[a-z-]+)?$/.test(scope);
}

export function isSiteBound(scope: string): boolean {
  return !IDENTITY_SCOPES.has(scope);
}

/** The product a site-bound scope belongs to; undefined for identity scopes and unknown products. */
export function scopeProduct(scope: string): "jira" | "confluence" | undefined {
  if (!isSiteBound(scope)) return undefined;
  const api = scopeApi(scope);
  if (api === "Jira API") return "jira";
  if (api === "Confluence API") return "confluence";
  return undefined;
}

/**
 * Confluence's two scope families: granular `verb:thing:confluence` for the v2 API, classic
 * `verb:confluence-thing` (and `search:confluence`) for v1. Each API accepts only its own family
 * (atlassian-3lo §7 [M], §11 [M]).
 */
export function isGranularConfluence(scope: string): boolean {
  return /^[a-z]+:[a-z0-9.-]+:confluence$/.test(scope);
}

export function isClassicConfluence(scope: string): boolean {
  return scopeProduct(scope) === "confluence" && !isGranularConfluence(scope);
}

export function scopeTitle(scope: string): string {
  return TITLES[scope] ?? scope;
}

export function scopeApi(scope: string): AtlassianApi {
  if (IDENTITY_SCOPES.has(scope)) return "User identity API";
  if (/jira|servicedesk/.test(scope)) return "Jira API";
  if (/confluence/.test(scope)) return "Confluence API";
  return "Atlassian API";
}

/** Products a site must offer for these scopes; empty when no site is needed or any site will do. */
export function requiredProducts(scopes: readonly string[]): ("jira" | "confluence")[] {
  const products = new Set<"jira" | "confluence">();
  for (const scope of scopes) {
    const product = scopeProduct(scope);
    if (product) products.add(product);
  }
  return [...products];
}

export function joinApis(scopes: readonly string[]): string {
  return [...new Set(scopes.map(scopeApi))].join(" & ");
}
