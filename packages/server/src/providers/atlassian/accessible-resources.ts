import { ApiError } from "../../errors/api-error.js";
import type { AtlassianSettings } from "../../services.js";
import { accessibleResourcesEndpoint } from "./endpoints.js";
import { getJson } from "./outbound.js";
import type { AtlassianSite } from "./sites.js";

/**
 * The sites (clouds) the grant covers, from GET /oauth/token/accessible-resources. The order
 * means nothing and the list holds every site of every earlier consent, so nothing here picks
 * "the" site by position. Entries that are not well-formed are dropped, not trusted.
 */
export function parseAccessibleResources(body: unknown): AtlassianSite[] | undefined {
  if (!Array.isArray(body)) return undefined;
  const sites = new Map<string, AtlassianSite>();
  for (const entry of body) {
    if (!entry || typeof entry !== "object") continue;
    const e = entry as Record<string, unknown>;
    if (typeof e.id !== "string" || !e.id || e.id.length > 100) continue;
    let url: string;
    try {
      const parsed = new URL(String(e.url));
      if (parsed.protocol !== "https:" && parsed.protocol !== "http:") continue;
      url = parsed.origin;
    } catch {
      continue;
    }
    const scopes = Array.isArray(e.scopes) ? e.scopes.filter((s): s is string => typeof s === "string") : [];
    const previous = sites.get(e.id);
    // One site can be listed once per product; merge them into one entry with all scopes.
    sites.set(e.id, {
      id: e.id,
      name: typeof e.name === "string" && e.name ? e.name.slice(0, 200) : url,
      url,
      scopes: [...new Set([...(previous?.scopes ?? []), ...scopes])],
      avatar_url: typeof e.avatarUrl === "string" && /^https?:\/\//.test(e.avatarUrl) ? e.avatarUrl : null,
      status: "accessible",
      lost_at: null,
    });
  }
  return [...sites.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** GET /oauth/token/accessible-resources with the user's access token (atlassian-3lo §6). */
export async function fetchAccessibleResources(
  settings: Pick<AtlassianSettings, "apiUrl" | "timeoutMs">,
  accessToken: string,
): Promise<AtlassianSite[]> {
  const res = await getJson(settings, accessibleResourcesEndpoint(settings), accessToken);
  if (res.status >= 500 || res.status === 429) {
    throw new ApiError("oauth_provider_unavailable", {
      headers: { "Retry-After": res.headers.get("retry-after") ?? "5" },
    });
  }
  const sites = res.status === 200 ? parseAccessibleResources(res.body) : undefined;
  if (!sites) {
    throw new ApiError("oauth_provider_error", {
      meta: { endpoint: "accessible-resources", status: res.status },
    });
  }
  return sites;
}

/**
 * The site this consent added, when it can be told: the one new cloud id compared with what the
 * grant covered before. Atlassian's endpoints do not say which site the user picked.
 */
export function addedSite(before: readonly AtlassianSite[], after: readonly AtlassianSite[]): string | null {
  const known = new Set(before.map((s) => s.id));
  const added = after.filter((s) => !known.has(s.id));
  if (added.length === 1) return added[0]!.id;
  return null;
}
