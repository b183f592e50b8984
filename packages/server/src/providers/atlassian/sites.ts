/** One Atlassian site (cloud) the user's grant covers, as Foyer stores and serves it. */
export interface AtlassianSite {
  /** The cloud id, used in https://api.atlassian.com/ex/{product}/{cloudid}/… */
  id: string;
  name: string;
  url: string;
  scopes: string[];
  avatar_url: string | null;
  /**
   * `lost` once accessible-resources stops listing the site (the user was removed from it, or
   * the app uninstalled): kept, not forgotten, so the app can tell the user what changed.
   */
  status: "accessible" | "lost";
  /** When the site was first seen missing; null while accessible. */
  lost_at: number | null;
}

/** Sites as stored (JSON); rows written before Foyer tracked site status read as accessible. */
export function parseStoredSites(json: string): AtlassianSite[] {
  const sites = JSON.parse(json) as Array<Omit<AtlassianSite, "status" | "lost_at"> & Partial<AtlassianSite>>;
  return sites.map((s) => ({ ...s, status: s.status ?? "accessible", lost_at: s.lost_at ?? null }));
}

/**
 * The grant's sites after a fresh look at accessible-resources: listed sites are `accessible`
 * (with their current name, url and scopes), stored sites no longer listed become `lost` (keeping
 * when they were first missed), and a lost site that is listed again is `accessible` again.
 */
export function mergeSites(
  stored: readonly AtlassianSite[],
  accessible: readonly AtlassianSite[],
  now: number,
): AtlassianSite[] {
  const listed = new Map(accessible.map((s) => [s.id, s]));
  const merged: AtlassianSite[] = accessible.map((s) => ({ ...s, status: "accessible", lost_at: null }));
  for (const site of stored) {
    if (listed.has(site.id)) continue;
    merged.push({
      ...site,
      status: "lost",
      lost_at: site.status === "lost" && site.lost_at ? site.lost_at : now,
    });
  }
  return merged.sort((a, b) => a.name.localeCompare(b.name));
}

/** The sites an access token reaches now (what apps may call). */
export function accessibleSites(sites: readonly AtlassianSite[]): AtlassianSite[] {
  return sites.filter((s) => s.status !== "lost");
}

/** API base URLs for a site: apps call these, never `<site>.atlassian.net`, with a 3LO token. */
export function siteApiBaseUrls(apiUrl: string, cloudId: string): { jira: string; confluence: string } {
  const id = encodeURIComponent(cloudId);
  return { jira: `${apiUrl}/ex/jira/${id}`, confluence: `${apiUrl}/ex/confluence/${id}` };
}
