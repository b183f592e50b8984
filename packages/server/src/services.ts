import type { Config } from "./config.js";
import type { Keyring } from "./crypto/aead.js";
import type { Db } from "./db/database.js";
import type { SharedLimits } from "./limits/shared-limits.js";
import type { Logger } from "./log.js";

/**
 * What every handler and domain function is given: configuration, storage, the encryption
 * keyring, the logger and a clock. Passing it explicitly (no globals) is what lets one test run
 * several Foyer servers against one database, and move time without sleeping.
 */
export interface Services {
  config: Config;
  db: Db;
  keyring: Keyring;
  log: Logger;
  /**
   * Rate-limit counters shared with every process of the deployment (database or Redis),
   * synced in the background; closed with `db`.
   */
  limits: SharedLimits;
  /** Milliseconds since the epoch; tests inject their own. */
  now: () => number;
  /** The Atlassian this deployment talks to, and the shared credentials of development instances. */
  atlassian: AtlassianSettings;
  /**
   * Points where a test makes this process fail at one precise moment. Production never sets
   * them: they are passed in code (`createServices`), never read from the environment.
   */
  faults?: FaultPoints;
  /**
   * Extra certificate authorities (PEM) trusted for requests Foyer makes for others (client
   * metadata documents), on top of Node's own list. Tests pass the CA of a loopback HTTPS
   * server here; operators use NODE_EXTRA_CA_CERTS instead. Never read from the environment.
   */
  outboundCa?: string[];
}

/**
 * Fault points a test can inject; each runs (and is awaited) at the moment its name says, with
 * the external account concerned. Kept to the moments a crash or an outage cannot be staged
 * from outside.
 */
export interface FaultPoints {
  /** Atlassian has answered a refresh (so it rotated the refresh token); Foyer has not stored it yet. */
  afterRefreshResponse?: (externalAccountId: string) => void | Promise<void>;
  /**
   * Foyer is about to write a refresh's rotated tokens (every try, retries included); throwing
   * makes that write fail as a database outage would.
   */
  beforeStoreRotated?: (externalAccountId: string) => void | Promise<void>;
}

export interface AtlassianSettings {
  authUrl: string;
  apiUrl: string;
  /** Shared credentials of development instances; undefined when none are available. */
  shared: { clientId: string; clientSecret: string } | undefined;
  /** True when the shared credentials belong to Foyer's built-in emulator. */
  emulated: boolean;
  /** Outbound request timeout (ms); Atlassian slow or down must not hang a user's request. */
  timeoutMs: number;
}
