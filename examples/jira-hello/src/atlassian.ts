import {
  AtlassianError,
  type AtlassianProduct,
  FoyerApiError,
  type FoyerClient,
  type OAuthAccessTokenSite,
} from "@foyer/backend";
import { ISSUES_SCOPE, PROFILE_SCOPE, SPACES_SCOPE } from "./scopes.js";

export { ISSUES_SCOPE, PROFILE_SCOPE, SPACES_SCOPE } from "./scopes.js";

/**
 * What the page shows about the user's Atlassian grant. Everything here is fetched by this
 * server: the browser never sees the Atlassian access token.
 */
export type AtlassianView =
  | {
      status: "connected";
      scopes: string[];
      canSearchIssues: boolean;
      /**
       * The cloud id of the session's active organization's site when the grant reaches it: then
       * `sites` holds that site only. Null: no active organization, so every site is shown.
       */
      activeSiteId: string | null;
      sites: SiteView[];
    }
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
  /** The scopes the grant holds on THIS site: what the page may offer here. */
  scopes: string[];
  myself: SiteResult<JiraMyself>;
  issues: SiteResult<JiraIssue[]>;
  spaces: SiteResult<ConfluenceSpace[]>;
}

/**
 * One call's outcome on one site: the data; `no_permission` (the site's scopes lack the one the
 * call needs, so it was not made); `reconnect` (Atlassian refused even a refreshed token: only
 * reconnecting can help); or Atlassian's refusal as it came.
 */
export type SiteResult<T> =
  | { ok: true; data: T }
  | { ok: false; kind: "no_permission"; scope: string }
  | { ok: false; kind: "reconnect"; message: string }
  | { ok: false; kind: "error"; status: number; message: string };

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

export interface ConfluenceSpace {
  key: string;
  name: string;
}

/** Thrown out of a site's calls when the grant itself is dead: the whole page offers Reconnect. */
class GrantNeedsReconnect extends Error {}

/**
 * One GET with `atlassian.fetch`: the token of the account that reaches the site, one refresh on
 * a 401, short Retry-After waits. Made only when the site's own scopes include `scope`.
 */
async function siteCall<T>(
  foyer: FoyerClient,
  userId: string,
  site: OAuthAccessTokenSite,
  call: { product: AtlassianProduct; path: string; scope: string },
): Promise<SiteResult<T>> {
  if (!site.scopes.includes(call.scope)) return { ok: false, kind: "no_permission", scope: call.scope };
  try {
    const { response } = await foyer.atlassian.fetch(userId, {
      cloudId: site.cloud_id,
      product: call.product,
      path: call.path,
    });
    const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (!response.ok || !body) {
      const said = body?.message ?? (body?.errorMessages as unknown[] | undefined)?.[0];
      const message = typeof said === "string" ? said : `Atlassian answered HTTP ${response.status}.`;
      return { ok: false, kind: "error", status: response.status, message };
    }
    return { ok: true, data: body as T };
  } catch (err) {
    if (err instanceof AtlassianError) {
      if (err.code === "atlassian_unauthorized")
        return { ok: false, kind: "reconnect", message: err.message };
      return { ok: false, kind: "error", status: 0, message: err.message };
    }
    if (err instanceof FoyerApiError && err.code === "oauth_reauthorization_required") {
      throw new GrantNeedsReconnect(err.message);
    }
    if (err instanceof FoyerApiError)
      return { ok: false, kind: "error", status: err.status, message: err.message };
    throw err;
  }
}

function mapped<T, U>(result: SiteResult<T>, f: (data: T) => U): SiteResult<U> {
  return result.ok ? { ok: true, data: f(result.data) } : result;
}

async function siteView(foyer: FoyerClient, userId: string, site: OAuthAccessTokenSite, jql: string) {
  const search = new URLSearchParams({ jql, fields: "summary,status", maxResults: "10" });
  const [myself, issues, spaces] = await Promise.all([
    siteCall<JiraMyself>(foyer, userId, site, {
      product: "jira",
      path: "/rest/api/3/myself",
      scope: PROFILE_SCOPE,
    }),
    siteCall<{ issues?: Array<{ key: string; fields?: Record<string, unknown> }> }>(foyer, userId, site, {
      product: "jira",
      // /search is gone (410); /search/jql answers ids only unless `fields` is given.
      path: `/rest/api/3/search/jql?${search}`,
      scope: ISSUES_SCOPE,
    }),
    siteCall<{ results?: Array<{ key: string; name: string }> }>(foyer, userId, site, {
      product: "confluence",
      path: "/wiki/api/v2/spaces?limit=5",
      scope: SPACES_SCOPE,
    }),
  ]);
  return {
    id: site.cloud_id,
    name: site.name,
    url: site.url,
    avatarUrl: site.avatar_url ?? undefined,
    scopes: site.scopes,
    myself: mapped(myself, (m) => ({
      accountId: m.accountId,
      displayName: m.displayName,
      emailAddress: m.emailAddress,
      timeZone: m.timeZone,
    })),
    issues: mapped(issues, (body) =>
      (body.issues ?? []).map((issue) => ({
        key: issue.key,
        summary: String(issue.fields?.summary ?? ""),
        status: String((issue.fields?.status as { name?: string } | undefined)?.name ?? ""),
        // Links for people go to the site itself; only API calls go through api_base_urls.
        url: `${site.url}/browse/${encodeURIComponent(issue.key)}`,
      })),
    ),
    spaces: mapped(spaces, (body) => (body.results ?? []).map((s) => ({ key: s.key, name: s.name }))),
  } satisfies SiteView;
}

/**
 * Lists the user's Atlassian accounts and their sites (Foyer refreshes tokens when needed), then
 * calls Jira and Confluence on every site with `atlassian.fetch`. What is called on a site is
 * decided from THAT site's scopes: a grant's scopes apply per site (a Confluence-only site has no
 * Jira scope). Sites come in no meaningful order, so each is shown rather than the "first";
 * with an active organization bound to one of them (`activeCloudId`, the token's `o.cloud_id`),
 * only that one is: the tenant the user chose.
 */
export async function loadAtlassianView(
  foyer: FoyerClient,
  userId: string,
  jql: string,
  activeCloudId: string | null = null,
): Promise<AtlassianView> {
  let sites: OAuthAccessTokenSite[] = [];
  let scopes: string[] = [];
  try {
    const items = (await foyer.users.getOAuthAccessToken(userId, "atlassian")).data;
    if (items.length === 0) return { status: "not_connected" };
    const usable = items.filter((item) => item.token !== null);
    // With several Atlassian accounts one may need reconnecting while another works.
    if (usable.length === 0) {
      const first = items[0]!;
      return first.status === "reauthorization_required"
        ? { status: "reauthorization_required" }
        : { status: "unavailable", message: first.error?.message ?? "Atlassian is unavailable." };
    }
    sites = usable.flatMap((item) => item.sites);
    scopes = [...new Set(usable.flatMap((item) => item.scopes))];
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
  // An organization whose site the grant no longer reaches shows every site rather than nothing.
  const active = sites.find((site) => site.cloud_id === activeCloudId);
  const shown = active ? [active] : sites.slice(0, 5);
  try {
    const views = await Promise.all(shown.map((site) => siteView(foyer, userId, site, jql)));
    return {
      status: "connected",
      scopes,
      canSearchIssues: scopes.includes(ISSUES_SCOPE),
      activeSiteId: active?.cloud_id ?? null,
      sites: views,
    };
  } catch (err) {
    if (err instanceof GrantNeedsReconnect) return { status: "reauthorization_required" };
    throw err;
  }
}
