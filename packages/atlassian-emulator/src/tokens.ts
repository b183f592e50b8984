/**
 * Access tokens and rotating refresh token families (atlassian-3lo §2-§3). Tokens are opaque
 * random strings, never JWTs: Atlassian documents them as opaque and clients must not parse them.
 */
import { findGrant, isGrantLive } from "./grants.js";
import { randomToken } from "./random.js";
import { type AccessTokenRecord, type EmulatorState, type Grant, now, type RefreshFamily } from "./state.js";

export interface TokenResponse {
  access_token: string;
  expires_in: number;
  token_type: "Bearer";
  scope: string;
  refresh_token?: string;
}

/** Who a token is for and what it may do. */
export interface Grantee {
  clientId: string;
  accountId: string;
  scopes: string[];
  audience?: string;
}

/** The only audience whose tokens the API accepts (atlassian-3lo §1, §11 [H]). */
export const API_AUDIENCE = "api.atlassian.com";

/** Sweep expired access tokens now and then, so a long benchmark does not grow without bound. */
const SWEEP_EVERY = 1000;
let issuedSinceSweep = 0;

export function issueAccessToken(
  state: EmulatorState,
  grantee: Grantee,
): { token: string; expiresIn: number } {
  const grant = findGrant(state, grantee.clientId, grantee.accountId);
  const expiresIn = state.settings.accessTokenTtlSeconds;
  const token = randomToken();
  state.accessTokens.set(token, {
    clientId: grantee.clientId,
    accountId: grantee.accountId,
    scopes: [...grantee.scopes],
    audience: grantee.audience,
    expiresAt: now(state) + expiresIn * 1000,
    grantGeneration: grant?.generation ?? 0,
  });
  if (++issuedSinceSweep >= SWEEP_EVERY) {
    issuedSinceSweep = 0;
    const t = now(state);
    for (const [k, v] of state.accessTokens) if (v.expiresAt <= t) state.accessTokens.delete(k);
  }
  return { token, expiresIn };
}

/** Why the API refuses a Bearer token; the gateway and Confluence answer some of these differently. */
export type TokenCheck =
  | { ok: true; token: AccessTokenRecord; grant: Grant; scopes: string[] }
  | { ok: false; reason: "unknown" | "expired" | "revoked" | "wrong_audience" };

/**
 * Looks up a Bearer token. A live token may do what it was minted with AND what its grant still
 * holds: a later consent with fewer scopes narrows tokens minted before it (atlassian-3lo §11).
 */
export function checkAccessToken(state: EmulatorState, value: string): TokenCheck {
  const token = state.accessTokens.get(value);
  if (!token) return { ok: false, reason: "unknown" };
  if (token.expiresAt <= now(state)) return { ok: false, reason: "expired" };
  const grant = findGrant(state, token.clientId, token.accountId);
  if (!grant || !isGrantLive(state, token.clientId, token.accountId, token.grantGeneration))
    return { ok: false, reason: "revoked" };
  // A code from an /authorize without audience=api.atlassian.com still exchanges, but its tokens
  // are refused by the API (atlassian-3lo §11 [H], ContextForge S38).
  if (token.audience !== API_AUDIENCE) return { ok: false, reason: "wrong_audience" };
  const scopes = token.scopes.filter((s) => grant.scopes.includes(s));
  return { ok: true, token, grant, scopes };
}

export function startFamily(state: EmulatorState, grantee: Grantee): RefreshFamily {
  const t = now(state);
  const family: RefreshFamily = {
    id: randomToken(12),
    clientId: grantee.clientId,
    accountId: grantee.accountId,
    audience: grantee.audience,
    grantGeneration: findGrant(state, grantee.clientId, grantee.accountId)?.generation ?? 0,
    createdAt: t,
    lastUsedAt: t,
    current: randomToken(),
    rotated: new Map(),
    revoked: false,
  };
  state.families.set(family.id, family);
  state.refreshTokens.set(family.current, family.id);
  return family;
}

export type RefreshOutcome =
  | { ok: true; family: RefreshFamily; grant: Grant; refreshToken?: string }
  | { ok: false; error: "unauthorized_client" | "invalid_grant" };

/**
 * One use of a refresh token. Rotates on every use; a rotated-out token still works within the
 * leeway (and yields a fresh pair); after the leeway its reuse is breach detection and the whole
 * family dies. `keepCurrent` models the "response without refresh_token" quirk: nothing rotates.
 */
export function useRefreshToken(
  state: EmulatorState,
  clientId: string,
  token: string,
  keepCurrent: boolean,
): RefreshOutcome {
  const familyId = state.refreshTokens.get(token);
  const family = familyId ? state.families.get(familyId) : undefined;
  if (!family || family.clientId !== clientId) return { ok: false, error: "unauthorized_client" };

  const t = now(state);
  const { refreshIdleSeconds, refreshAbsoluteSeconds, refreshLeewaySeconds } = state.settings;
  const grant = findGrant(state, family.clientId, family.accountId);
  const dead =
    family.revoked ||
    !grant ||
    !isGrantLive(state, family.clientId, family.accountId, family.grantGeneration) ||
    // A later consent without offline_access took the right to refresh away (strict reading of
    // "the new consent's scopes replace the grant's", atlassian-3lo §11).
    !grant.scopes.includes("offline_access") ||
    t - family.createdAt >= refreshAbsoluteSeconds * 1000 ||
    t - family.lastUsedAt >= refreshIdleSeconds * 1000;
  if (dead) {
    family.revoked = true;
    return { ok: false, error: "invalid_grant" };
  }

  if (token !== family.current) {
    const rotatedAt = family.rotated.get(token) ?? Number.NEGATIVE_INFINITY;
    if (t - rotatedAt >= refreshLeewaySeconds * 1000) {
      family.revoked = true;
      return { ok: false, error: "invalid_grant" };
    }
  }

  family.lastUsedAt = t;
  if (keepCurrent) return { ok: true, family, grant };
  family.rotated.set(family.current, t);
  family.current = randomToken();
  state.refreshTokens.set(family.current, family.id);
  return { ok: true, family, grant, refreshToken: family.current };
}

export function revokeFamiliesOf(state: EmulatorState, accountId: string): void {
  for (const family of state.families.values()) if (family.accountId === accountId) family.revoked = true;
}
