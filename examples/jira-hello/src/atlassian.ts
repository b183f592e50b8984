import { FoyerApiError, type FoyerClient, type OAuthAccessToken } from "@foyer/backend";

/**
 * What the page shows about the user's Atlassian grant. Everything here is fetched by this
 * server: the browser never sees the Atlassian access token.
 */
export type AtlassianView =
  | { status: "connected"; scopes: string[]; canSearchIssues: boolean; sites: SiteView[] }
  /** Atlassian no longer accepts the grant: the user must connect again ("Reconnect Atlassian"). */
  | { status: "reauthorization_required" }
  | { status: "not_connected" }
  /** Atlassian (or Foyer) is unreachable for now; nothing to ask of the user. */
  | { status: "unavailable"; message: string; retryAfter?: number };

export interface SiteView {
  id: string;
  name: string;
  url: string;
  avatarUrl?: string;
  myself: JiraResult<JiraMyself>;
  /** Null when the grant lacks the scope the search needs (read:jira-work). */
  issues: JiraResult<JiraIssue[]> | null;
}

export type JiraResult<T> = { ok: true; data: T } | { ok: false; status: number; message: string };

export interface JiraMyself {
  accountId: string;
  displayName: string;
  emailAddress?: string;
  timeZone?: string;
}

export interface JiraIssue {
  key: string;
  summary: string;
  status: string;
  url: string;
}

/** The scope Jira's issue search needs; the app asks for it only when the user wants issues. */
export const ISSUES_SCOPE = "read:jira-work";

/** A site of Foyer's token answer (Foyer's addition to Clerk's shape), checked field by field. */
interface TokenSite {
  id: string;
  name: string;
  url: string;
  avatarUrl?: string;
  jiraBaseUrl?: string;
}

/** A token answer that carries a token (not an account that failed). */
type UsableToken = Extract<OAuthAccessToken, { token: string }>;

function tokenSites(token: UsableToken): TokenSite[] {
  if (!Array.isArray(token.sites)) return [];
  const sites: TokenSite[] = [];
  for (const raw of token.sites as unknown[]) {
    if (typeof raw !== "object" || raw === null) continue;
    const s = raw as Record<string, unknown>;
    const bases = (s.api_base_urls ?? {}) as Record<string, unknown>;
    if (typeof s.id !== "string" || typeof s.url !== "string") continue;
    sites.push({
      id: s.id,
      name: typeof s.name === "string" ? s.name : s.url,
      url: s.url,
      avatarUrl: typeof s.avatar_url === "string" ? s.avatar_url : undefined,
      jiraBaseUrl: typeof bases.jira === "string" ? bases.jira : undefined,
    });
  }
  return sites;
}

/** GET on a site's Jira REST API with the user's token; Atlassian's refusals become results. */
async function jiraGet<T>(baseUrl: string, path: string, token: string): Promise<JiraResult<T>> {
  try {
    const res = await fetch(`${baseUrl}${path}`, {
      headers: { authorization: `Bearer ${token}`, accept: "application/json" },
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (!res.ok || !body) {
      const message = typeof body?.message === "string" ? body.message : `Jira answered HTTP ${res.status}.`;
      return { ok: false, status: res.status, message };
    }
    return { ok: true, data: body as T };
  } catch {
    return { ok: false, status: 0, message: "Jira could not be reached." };
  }
}

async function siteView(site: TokenSite, token: string, canSearch: boolean, jql: string): Promise<SiteView> {
  const base = site.jiraBaseUrl;
  const noJira = { ok: false as const, status: 0, message: "This site has no Jira API." };
  const [myself, search] = await Promise.all([
    base ? jiraGet<JiraMyself>(base, "/rest/api/3/myself", token) : noJira,
    base && canSearch
      ? jiraGet<{ issues?: Array<{ key: string; fields?: Record<string, unknown> }> }>(
          base,
          `/rest/api/3/search/jql?${new URLSearchParams({ jql, fields: "summary,status", maxResults: "10" })}`,
          token,
        )
      : null,
  ]);
  let issues: SiteView["issues"] = null;
  if (search && !search.ok) issues = search;
  if (search?.ok) {
    issues = {
      ok: true,
      data: (search.data.issues ?? []).map((issue) => ({
        key: issue.key,
        summary: String(issue.fields?.summary ?? ""),
        status: String((issue.fields?.status as { name?: string } | undefined)?.name ?? ""),
        // Links for people go to the site itself; only API calls go through api_base_urls.
        url: `${site.url}/browse/${encodeURIComponent(issue.key)}`,
      })),
    };
  }
  return {
    id: site.id,
    name: site.name,
    url: site.url,
    avatarUrl: site.avatarUrl,
    myself: myself.ok
      ? {
          ok: true,
          data: {
            accountId: myself.data.accountId,
            displayName: myself.data.displayName,
            emailAddress: myself.data.emailAddress,
            timeZone: myself.data.timeZone,
          },
        }
      : myself,
    issues,
  };
}

/**
 * Asks Foyer for the user's Atlassian token (fresh: Foyer refreshes it when needed), then calls
 * Jira on every site of the grant. Sites come in no meaningful order, so each is shown rather
 * than picking the "first".
 */
export async function loadAtlassianView(
  foyer: FoyerClient,
  userId: string,
  jql: string,
): Promise<AtlassianView> {
  let token: UsableToken | undefined;
  try {
    const items = (await foyer.users.getOAuthAccessToken(userId, "atlassian")).data;
    // With several Atlassian accounts one may need reconnecting while another works.
    const first = items.find((item): item is UsableToken => item.token !== null) ?? items[0];
    if (first?.token === null) {
      return first.status === "reauthorization_required"
        ? { status: "reauthorization_required" }
        : { status: "unavailable", message: first.error.message, retryAfter: undefined };
    }
    token = first;
  } catch (err) {
    if (!(err instanceof FoyerApiError)) throw err;
    switch (err.code) {
      case "oauth_reauthorization_required":
      case "oauth_missing_refresh_token":
        return { status: "reauthorization_required" };
      case "oauth_provider_unavailable":
      case "network_error":
        return { status: "unavailable", message: err.message, retryAfter: err.retryAfter };
      default:
        throw err;
    }
  }
  if (!token) return { status: "not_connected" };
  const scopes = token.scopes ?? [];
  const canSearchIssues = scopes.includes(ISSUES_SCOPE);
  const sites = await Promise.all(
    tokenSites(token)
      .slice(0, 5)
      .map((site) => siteView(site, token.token, canSearchIssues, jql)),
  );
  return { status: "connected", scopes, canSearchIssues, sites };
}
