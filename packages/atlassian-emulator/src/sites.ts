/**
 * Which of a grant's sites a token reaches, and with which scopes. Atlassian keeps the consented
 * site in the grant, but access follows the user's membership of the site: a user removed from
 * a site loses it from accessible-resources and at the gateway, and gets it back when re-added
 * (atlassian-3lo §6 "may be [] … the user lost site access").
 */
import { scopeProduct } from "./scopes.js";
import type { EmulatorState, Grant } from "./state.js";
import type { EmulatorSite } from "./types.js";

/** The grant's sites that still exist and that the account is still a member of. */
export function reachableSites(state: EmulatorState, grant: Grant): EmulatorSite[] {
  const member = new Set(state.accounts.get(grant.accountId)?.siteIds ?? []);
  return grant.cloudIds
    .filter((id) => member.has(id))
    .map((id) => state.sites.get(id))
    .filter((site): site is EmulatorSite => site !== undefined);
}

/**
 * The scopes that apply on one site: those of a product the site hosts. accessible-resources
 * lists them per entry (atlassian-3lo §6, §11 [H]), and a scope outside them is refused there.
 */
export function siteScopes(site: EmulatorSite, scopes: readonly string[]): string[] {
  return scopes.filter((scope) => {
    const product = scopeProduct(scope);
    return product !== undefined && site.products.includes(product);
  });
}

/** Removes the account from the site's users; false when the account does not exist. */
export function setSiteMembership(
  state: EmulatorState,
  accountId: string,
  cloudId: string,
  member: boolean,
): boolean {
  const account = state.accounts.get(accountId);
  if (!account) return false;
  const others = account.siteIds.filter((id) => id !== cloudId);
  account.siteIds = member ? [...others, cloudId] : others;
  return true;
}
