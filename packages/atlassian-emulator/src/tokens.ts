/**
 * Access tokens and rotating refresh token families (atlassian-3lo §2-§3). Tokens are opaque
 * random strings, never JWTs: Atlassian documents them as opaque and clients must not parse them.
 */
import { findGrant, isGrantLive } from "./grants.js";
import { randomToken } from "./random.js";
import { type AccessTokenRecord, type EmulatorState, now, type RefreshFamily } from "./state.js";

export interface TokenResponse {
  access_token: string;
  expires_in: number;
  token_type: "Bearer";
  scope: string;
  refresh_token?: string;
}

/** Sweep expired access tokens now and then, so a long benchmark does not grow without bound. */
const SWEEP_EVERY = 1000;
let issuedSinceSweep = 0;

export function issueAccessToken(
  state: EmulatorState,
  grantee: { clientId: string; accountId: string; scopes: string[] },
): { token: string; expiresIn: number } {
  const grant = findGrant(state, grantee.clientId, grantee.accountId);
  const expiresIn = state.settings.accessTokenTtlSeconds;
  const token = randomToken();
  state.accessTokens.set(token, {
    clientId: grantee.clientId,
    accountId: grantee.accountId,
    scopes: [...grantee.scopes],
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

/** The record behind a Bearer token, or undefined when it is unknown, expired or its grant is gone. */
export function liveAccessToken(state: EmulatorState, token: string): AccessTokenRecord | undefined {
  const record = state.accessTokens.get(token);
  if (!record || record.expiresAt <= now(state)) return undefined;
  if (!isGrantLive(state, record.clientId, record.accountId, record.grantGeneration)) return undefined;
  return record;
}

export function startFamily(
  state: EmulatorState,
  grantee: { clientId: string; accountId: string; scopes: string[] },
): RefreshFamily {
  const t = now(state);
  const family: RefreshFamily = {
    id: randomToken(12),
    clientId: grantee.clientId,
    accountId: grantee.accountId,
    scopes: [...grantee.scopes],
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
  | { ok: true; family: RefreshFamily; refreshToken?: string }
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
  const dead =
    family.revoked ||
    !isGrantLive(state, family.clientId, family.accountId, family.grantGeneration) ||
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
  if (keepCurrent) return { ok: true, family };
  family.rotated.set(family.current, t);
  family.current = randomToken();
  state.refreshTokens.set(family.current, family.id);
  return { ok: true, family, refreshToken: family.current };
}

export function revokeFamiliesOf(state: EmulatorState, accountId: string): void {
  for (const family of state.families.values()) if (family.accountId === accountId) family.revoked = true;
}
