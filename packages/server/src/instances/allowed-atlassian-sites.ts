/**
 * The instance's allow-list of Atlassian sites (issue 18, item 4): who may sign up and sign in,
 * and which sites the token answer lists. An entry is a cloud id (what Atlassian's APIs are
 * addressed by, and never changes) or a site URL (what an operator knows; it follows the site's
 * current URL, so a renamed site must be listed again). An empty list lets every site in.
 */
import { ApiError } from "../errors/api-error.js";
import type { AtlassianSite } from "../providers/atlassian/sites.js";

const CLOUD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** "3F1C…" → "3f1c…"; "Acme.atlassian.net", "https://acme.atlassian.net/" → "https://acme.atlassian.net". */
export function normaliseSiteEntry(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed.length === 0 || trimmed.length > 300 || trimmed.includes("*")) return undefined;
  const lower = trimmed.toLowerCase();
  if (CLOUD_ID.test(lower)) return lower;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//.test(lower) ? trimmed : `https://${trimmed}`);
  } catch {
    return undefined;
  }
  // A site is an https origin: no path, query, credentials or port of its own.
  if (url.protocol !== "https:" || url.username || url.password || url.port) return undefined;
  if (url.pathname !== "/" || url.search || url.hash || !url.hostname.includes(".")) return undefined;
  return url.origin;
}

/** The list from an API or form, normalised and without repeats, or a 422 naming the bad entry. */
export function parseAllowedAtlassianSites(values: readonly string[]): string[] {
  const out = values.map((value, i) => {
    const entry = normaliseSiteEntry(value);
    if (!entry) {
      throw new ApiError("form_param_invalid", {
        longMessage: `"${value}" is neither an Atlassian cloud id (a UUID) nor a site URL such as https://acme.atlassian.net.`,
        meta: { param_name: `allowed_atlassian_sites.${i}` },
      });
    }
    return entry;
  });
  return [...new Set(out)];
}

/** Whether a site is on the list (always, when the list is empty). */
export function siteAllowed(allowList: readonly string[], site: Pick<AtlassianSite, "id" | "url">): boolean {
  if (allowList.length === 0) return true;
  if (allowList.includes(site.id.toLowerCase())) return true;
  const origin = normaliseSiteEntry(site.url);
  return origin !== undefined && allowList.includes(origin);
}

/** The sites of a grant that the list lets in. */
export function allowedSites<S extends Pick<AtlassianSite, "id" | "url">>(
  allowList: readonly string[],
  sites: readonly S[],
): S[] {
  return allowList.length === 0 ? [...sites] : sites.filter((s) => siteAllowed(allowList, s));
}
