/**
 * Public data shapes of the emulator. packages/server depends on these exact names, so they
 * follow the Atlassian 3LO vocabulary (cloudId, accountId, callbackUrl) rather than our own.
 */

/** A Jira/Confluence cloud site; `cloudId` is what `accessible-resources` returns as `id`. */
export interface EmulatorSite {
  cloudId: string;
  name: string;
  url: string;
  avatarUrl?: string;
  products: ("jira" | "confluence")[];
}

/** An Atlassian account as `/me` reports it. */
export interface EmulatorAccount {
  accountId: string;
  name: string;
  email?: string;
  emailVerified?: boolean;
  picture?: string;
  nickname?: string;
  locale?: string;
  zoneinfo?: string;
  /** null: `/me` leaves `account_status` out (a hostile or broken answer, for tests). */
  accountStatus?: "active" | "inactive" | "closed" | null;
  accountType?: string;
  extendedProfile?: Record<string, string>;
  /** Profile visibility "hide email from apps": `/me` then leaves `email` out. */
  hideEmail?: boolean;
  /** cloudIds of the sites the account can access. */
  siteIds: string[];
}

/** A 3LO app as registered in the developer console. */
export interface EmulatorApp {
  clientId: string;
  clientSecret: string;
  name: string;
  /** Atlassian allows exactly one callback URL per app, compared byte for byte. */
  callbackUrl: string;
  /** Scopes enabled in the console. `offline_access` is an Auth0 scope and need not be listed. */
  scopes: string[];
  /** Distribution → Sharing. A private app works only for its owner. */
  shared: boolean;
  ownerAccountId?: string;
  /** "resource" (default): the user picks one site per consent. "account": every site, no picker. */
  accessType?: "resource" | "account";
}

export interface EmulatorSeed {
  apps?: EmulatorApp[];
  accounts?: EmulatorAccount[];
  sites?: EmulatorSite[];
}

export interface EmulatorSettings {
  /** Lifetime of an authorization code (Atlassian: "10 mins (and maybe less)"). */
  codeTtlSeconds: number;
  accessTokenTtlSeconds: number;
  /** How long a rotated-out refresh token still works (Atlassian: 10 minutes). */
  refreshLeewaySeconds: number;
  /** Inactivity expiry of a refresh token family (90 days). */
  refreshIdleSeconds: number;
  /** Absolute expiry of a refresh token family from its consent (365 days). */
  refreshAbsoluteSeconds: number;
  /** "accept": PKCE recorded but not checked (what Atlassian seems to do). "verify": S256 is checked. */
  pkce: "accept" | "verify";
  /** Emit the undocumented `email_verified` and `last_updated` fields on `/me`. */
  emitEmailVerified: boolean;
  /** Body of a bad/expired/reused code: 400 invalid_request (measured) or 403 invalid_grant (Auth0 style). */
  badCodeStyle: "invalid_request" | "invalid_grant";
  /**
   * How Confluence answers an expired or revoked access token (atlassian-3lo §11, [M]):
   * "masked" (default) 404 on v2 paths and 403 on v1, as reported; "unauthorized" the gateway's 401.
   */
  confluenceDeadToken: "masked" | "unauthorized";
}

/** How an automatic consent answers: as `accountId`, on site `cloudId` (default: first accessible). */
export interface ConsentAnswer {
  accountId: string;
  cloudId?: string;
  answer?: "accept" | "cancel";
}

export type FaultName =
  | "token_5xx"
  | "token_hang"
  | "token_garbage"
  | "token_401_challenge"
  | "me_503"
  | "refresh_without_refresh_token"
  | "token_drop_after_rotate"
  | "api_429"
  | "product_429"
  | "product_503";

export const FAULT_NAMES: readonly FaultName[] = [
  "token_5xx",
  "token_hang",
  "token_garbage",
  "token_401_challenge",
  "me_503",
  "refresh_without_refresh_token",
  "token_drop_after_rotate",
  "api_429",
  "product_429",
  "product_503",
];

/**
 * How a fault is switched on: for the next `count` hits (default: until cleared), with the
 * `Retry-After` it sends, and for the 429 faults the `RateLimit-Reason` (default `jira-burst-based`).
 */
export type FaultSwitch = boolean | { count?: number; retryAfterSeconds?: number; reason?: string };

export interface EmulatorCounters {
  /** Authorization codes issued (accepted consents). */
  authorizations: number;
  /** Successful code exchanges. */
  codeExchanges: number;
  codeExchangeFailures: number;
  /** Successful refreshes. */
  refreshes: number;
  refreshFailures: number;
  meCalls: number;
  accessibleResourcesCalls: number;
  productCalls: number;
}

export interface GrantView {
  clientId: string;
  accountId: string;
  scopes: string[];
  cloudIds: string[];
  revoked: boolean;
}

export interface EmulatorControl {
  /** Upsert apps, accounts and sites. */
  seed(seed: EmulatorSeed): void;
  upsertApp(app: EmulatorApp): void;
  upsertAccount(account: EmulatorAccount): void;
  upsertSite(site: EmulatorSite): void;
  /** Deletes a site: accessible-resources stops listing it (the "lost site access" case). */
  removeSite(cloudId: string): void;
  /**
   * The account loses access to one site (removed from the site's users). Its grants keep the
   * site, but accessible-resources stops listing it and the gateway answers 401 for it.
   */
  revokeSiteAccess(accountId: string, cloudId: string): void;
  /** The account is a member of the site again: the grants that hold it reach it again. */
  restoreSiteAccess(accountId: string, cloudId: string): void;
  /** Change profile fields, e.g. email, name, or close the account (`accountStatus`). */
  updateAccount(accountId: string, patch: Partial<EmulatorAccount>): void;
  /** The NEXT `/authorize` is answered at once with a 302, without a page. */
  queueConsent(answer: ConsentAnswer): void;
  /** Every `/authorize` is answered automatically until cleared with `null`. */
  setAutoConsent(answer: ConsentAnswer | null): void;
  setFault(name: FaultName, on: FaultSwitch): void;
  clearFaults(): void;
  /** "User revoked the app": every token of the grant dies (refresh → 403 invalid_grant). */
  revokeGrant(clientId: string, accountId: string): void;
  /** Kills every refresh token family of the account. */
  changePassword(accountId: string): void;
  /** Moves the emulator's clock forward, so a 90-day expiry is testable in a second. */
  advanceClock(ms: number): void;
  now(): number;
  settings(patch?: Partial<EmulatorSettings>): EmulatorSettings;
  counters(): EmulatorCounters;
  resetCounters(): void;
  grants(): GrantView[];
  /** Query parameters of the last `/authorize` request, to check what a client sent. */
  lastAuthorizeRequest(): Record<string, string> | null;
  /** Empty state, then the initial seed and settings again. */
  reset(): void;
}

export interface RunningEmulator {
  authUrl: string;
  apiUrl: string;
  controlUrl: string;
  control: EmulatorControl;
  close(): Promise<void>;
}

export interface EmulatorOptions {
  seed?: EmulatorSeed;
  settings?: Partial<EmulatorSettings>;
}

export interface StartEmulatorOptions extends EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** When given, the api.atlassian.com paths are served on this second port. */
  apiPort?: number;
  /** Silence every log line (there is no request log in any case). */
  quiet?: boolean;
}
