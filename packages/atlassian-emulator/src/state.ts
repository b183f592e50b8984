/**
 * The emulator's whole memory. Plain maps over plain records, so the HTTP routes and the
 * in-process control object work on exactly the same data.
 */
import { defaultSettings } from "./settings.js";
import type {
  ConsentAnswer,
  EmulatorAccount,
  EmulatorApp,
  EmulatorCounters,
  EmulatorSeed,
  EmulatorSettings,
  EmulatorSite,
  FaultName,
} from "./types.js";

/** What the client asked for at `/authorize`, carried through the consent steps. */
export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state?: string;
  audience?: string;
  prompt?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
}

/** A consent in progress: the server-side half of the account and consent forms. */
export interface PendingAuthorization {
  id: string;
  request: AuthorizationRequest;
  accountId?: string;
  expiresAt: number;
}

export interface AuthorizationCode {
  clientId: string;
  accountId: string;
  redirectUri: string;
  scopes: string[];
  /** What `/authorize` was sent as `audience`; tokens work at the API only for api.atlassian.com. */
  audience?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  expiresAt: number;
}

/** One grant per (app, account): later consents add sites to it and replace its scopes. */
export interface Grant {
  clientId: string;
  accountId: string;
  scopes: string[];
  cloudIds: string[];
  revoked: boolean;
  /** Bumped when a revoked grant is consented to again, so tokens of the old grant stay dead. */
  generation: number;
}

export interface AccessTokenRecord {
  clientId: string;
  accountId: string;
  scopes: string[];
  audience?: string;
  expiresAt: number;
  grantGeneration: number;
}

/** A chain of rotated refresh tokens that started with one consent. */
export interface RefreshFamily {
  id: string;
  clientId: string;
  accountId: string;
  /**
   * No scopes of its own: every refresh answers with the grant's scopes as they are then, so a
   * later consent with fewer scopes narrows this family too (atlassian-3lo §11).
   */
  audience?: string;
  grantGeneration: number;
  createdAt: number;
  lastUsedAt: number;
  current: string;
  /** Rotated-out tokens and when they were rotated, for the reuse leeway. */
  rotated: Map<string, number>;
  revoked: boolean;
}

export interface ActiveFault {
  /** Remaining hits; undefined means until cleared. */
  remaining?: number;
  retryAfterSeconds: number;
  /** `RateLimit-Reason` of the 429 faults. */
  reason?: string;
}

export interface EmulatorState {
  apps: Map<string, EmulatorApp>;
  accounts: Map<string, EmulatorAccount>;
  /** When each account's profile last changed, for `/me`'s `last_updated`. */
  accountUpdatedAt: Map<string, number>;
  sites: Map<string, EmulatorSite>;
  grants: Map<string, Grant>;
  pending: Map<string, PendingAuthorization>;
  codes: Map<string, AuthorizationCode>;
  accessTokens: Map<string, AccessTokenRecord>;
  /** refresh token → family id */
  refreshTokens: Map<string, string>;
  families: Map<string, RefreshFamily>;
  consentQueue: ConsentAnswer[];
  autoConsent: ConsentAnswer | null;
  faults: Map<FaultName, ActiveFault>;
  /** Releases for requests held by the `token_hang` fault. */
  hangs: Set<() => void>;
  settings: EmulatorSettings;
  counters: EmulatorCounters;
  clockOffsetMs: number;
  lastAuthorizeRequest: Record<string, string> | null;
  initialSeed: EmulatorSeed;
  initialSettings: Partial<EmulatorSettings>;
}

export function zeroCounters(): EmulatorCounters {
  return {
    authorizations: 0,
    codeExchanges: 0,
    codeExchangeFailures: 0,
    refreshes: 0,
    refreshFailures: 0,
    meCalls: 0,
    accessibleResourcesCalls: 0,
    productCalls: 0,
  };
}

export function createState(
  seed: EmulatorSeed = {},
  settings: Partial<EmulatorSettings> = {},
): EmulatorState {
  const state: EmulatorState = {
    apps: new Map(),
    accounts: new Map(),
    accountUpdatedAt: new Map(),
    sites: new Map(),
    grants: new Map(),
    pending: new Map(),
    codes: new Map(),
    accessTokens: new Map(),
    refreshTokens: new Map(),
    families: new Map(),
    consentQueue: [],
    autoConsent: null,
    faults: new Map(),
    hangs: new Set(),
    settings: { ...defaultSettings(), ...settings },
    counters: zeroCounters(),
    clockOffsetMs: 0,
    lastAuthorizeRequest: null,
    initialSeed: structuredClone(seed),
    initialSettings: { ...settings },
  };
  applySeed(state, seed);
  return state;
}

export function applySeed(state: EmulatorState, seed: EmulatorSeed): void {
  for (const site of seed.sites ?? []) state.sites.set(site.cloudId, structuredClone(site));
  for (const account of seed.accounts ?? []) putAccount(state, account);
  for (const app of seed.apps ?? []) state.apps.set(app.clientId, structuredClone(app));
}

/** The emulator's clock: wall time plus the offset tests add with `advanceClock`. */
export function now(state: EmulatorState): number {
  return Date.now() + state.clockOffsetMs;
}

/** Lets every request held by `token_hang` go on. */
export function releaseHangs(state: EmulatorState): void {
  for (const release of state.hangs) release();
  state.hangs.clear();
}

export function putAccount(state: EmulatorState, account: EmulatorAccount): void {
  state.accounts.set(account.accountId, structuredClone(account));
  state.accountUpdatedAt.set(account.accountId, now(state));
}
