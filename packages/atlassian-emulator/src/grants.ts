/**
 * Grants: Atlassian keeps ONE grant per (app, account). Each consent adds its sites, and tokens
 * minted earlier reach the new sites too (atlassian-3lo §1 "Consent screen", FAQ S4). Its scopes
 * are REPLACED by the new consent's: an app that wants to keep a permission must ask for it again,
 * which is why incremental consent asks for the union (atlassian-3lo §11 [H]).
 */
import type { EmulatorState, Grant } from "./state.js";
import type { GrantView } from "./types.js";

function key(clientId: string, accountId: string): string {
  return `${clientId}\u0000${accountId}`;
}

export function findGrant(state: EmulatorState, clientId: string, accountId: string): Grant | undefined {
  return state.grants.get(key(clientId, accountId));
}

/** Records an accepted consent. A revoked grant starts over: its old tokens must stay dead. */
export function recordConsent(
  state: EmulatorState,
  consent: { clientId: string; accountId: string; scopes: string[]; cloudIds: string[] },
): Grant {
  const existing = findGrant(state, consent.clientId, consent.accountId);
  if (existing && !existing.revoked) {
    existing.scopes = [...consent.scopes];
    existing.cloudIds = union(existing.cloudIds, consent.cloudIds);
    return existing;
  }
  const grant: Grant = {
    clientId: consent.clientId,
    accountId: consent.accountId,
    scopes: [...consent.scopes],
    cloudIds: [...consent.cloudIds],
    revoked: false,
    generation: (existing?.generation ?? 0) + 1,
  };
  state.grants.set(key(consent.clientId, consent.accountId), grant);
  return grant;
}

export function revokeGrant(state: EmulatorState, clientId: string, accountId: string): void {
  const grant = findGrant(state, clientId, accountId);
  if (grant) grant.revoked = true;
  for (const family of state.families.values()) {
    if (family.clientId === clientId && family.accountId === accountId) family.revoked = true;
  }
}

/** A token is alive only while the grant generation it was minted under is. */
export function isGrantLive(
  state: EmulatorState,
  clientId: string,
  accountId: string,
  generation: number,
): boolean {
  const grant = findGrant(state, clientId, accountId);
  return grant !== undefined && !grant.revoked && grant.generation === generation;
}

export function grantViews(state: EmulatorState): GrantView[] {
  return [...state.grants.values()].map((g) => ({
    clientId: g.clientId,
    accountId: g.accountId,
    scopes: [...g.scopes],
    cloudIds: [...g.cloudIds],
    revoked: g.revoked,
  }));
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}
