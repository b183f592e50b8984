import type { ExternalAccountTable } from "../db/schema.js";
import { type AtlassianSite, parseStoredSites } from "../providers/atlassian/sites.js";

/**
 * A stored Atlassian account with its JSON columns parsed and its derived fields computed, once,
 * for every serializer that shows it (user JSON, access-token JSON, the dashboard).
 */
export interface ExternalAccount {
  /** The row as stored, token columns included (encrypted): for token code, never serialised as is. */
  row: ExternalAccountTable;
  sites: AtlassianSite[];
  /** Atlassian's /me answer as last seen. */
  profile: Record<string, unknown>;
  /**
   * The name of the site the latest consent added, else of the first accessible site: what
   * Clerk calls the label.
   */
  label: string | null;
  /** The stored username, else Atlassian's nickname. */
  username: string | null;
}

export function externalAccountFromRow(row: ExternalAccountTable): ExternalAccount {
  const sites = parseStoredSites(row.sites);
  const profile = JSON.parse(row.profile) as Record<string, unknown>;
  const nickname = typeof profile.nickname === "string" ? profile.nickname : null;
  return {
    row,
    sites,
    profile,
    label:
      sites.find((s) => s.id === row.last_added_site_id)?.name ??
      (sites.find((s) => s.status === "accessible") ?? sites[0])?.name ??
      null,
    username: row.username ?? nickname,
  };
}
