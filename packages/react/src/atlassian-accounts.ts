import type { ExternalAccountJSON, UserJSON } from "@foyer/js";
import { useFoyerContext } from "./hooks.js";

/** One Atlassian site an account's grant covers, with the scopes granted there. */
export interface AtlassianSite {
  /** The cloud id (`https://api.atlassian.com/ex/jira/{id}/…`). */
  id: string;
  name: string;
  /** The site's own URL, e.g. `https://acme.atlassian.net`. */
  url: string;
  /** `lost` once Atlassian stopped listing the site for this grant. */
  status: "accessible" | "lost";
  scopes: string[];
}

/** A connected Atlassian account of the signed-in user. */
export interface AtlassianAccount {
  /** Foyer's external account id (`eac_…`). */
  id: string;
  /** The Atlassian `account_id`. */
  atlassianAccountId: string;
  email: string;
  name: string;
  /** `reauthorization_required` once Atlassian stopped accepting the grant: offer Reconnect. */
  status: ExternalAccountJSON["status"];
  reauthorizationReason: ExternalAccountJSON["reauthorization_reason"];
  /** Every scope the grant holds. */
  scopes: string[];
  sites: AtlassianSite[];
  /** The Frontend API JSON it was read from. */
  raw: ExternalAccountJSON;
}

export interface UseAtlassianAccountsReturn {
  isLoaded: boolean;
  /** Empty when signed out. */
  accounts: AtlassianAccount[];
}

/** The user's Atlassian accounts, as the user JSON of the Frontend API holds them. */
export function atlassianAccountsOf(user: UserJSON | null): AtlassianAccount[] {
  return (user?.external_accounts ?? [])
    .filter((a) => a.provider === "oauth_atlassian")
    .map((a) => ({
      id: a.id,
      atlassianAccountId: a.provider_user_id,
      email: a.email_address,
      name: [a.first_name, a.last_name].filter(Boolean).join(" "),
      status: a.status,
      reauthorizationReason: a.reauthorization_reason,
      scopes: a.approved_scopes.split(" ").filter(Boolean),
      sites: a.sites.map((s) => ({ id: s.id, name: s.name, url: s.url, status: s.status, scopes: s.scopes })),
      raw: a,
    }));
}

/**
 * Whether an active grant holds every one of `scopes` on a reachable site: the site named by
 * `site` (its cloud id or its URL) or, without `site`, any site.
 */
export function hasAtlassianScopes(
  accounts: AtlassianAccount[],
  scopes: readonly string[],
  site?: string,
): boolean {
  const wanted = site?.replace(/\/+$/, "");
  return accounts.some(
    (a) =>
      a.status === "active" &&
      a.sites.some(
        (s) =>
          s.status === "accessible" &&
          (wanted === undefined || s.id === wanted || s.url.replace(/\/+$/, "") === wanted) &&
          scopes.every((scope) => s.scopes.includes(scope)),
      ),
  );
}

/** The signed-in user's Atlassian accounts with their status, sites and per-site scopes. */
export function useAtlassianAccounts(): UseAtlassianAccountsReturn {
  const { loaded, user } = useFoyerContext();
  return { isLoaded: loaded, accounts: atlassianAccountsOf(user) };
}
