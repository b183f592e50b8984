import { isIP } from "node:net";

/**
 * Configuration from the environment, validated once at start. Every bad value gets its own
 * line in one error, so an operator fixes them all in one go.
 */
export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  production: boolean;
  dataDir: string;
  /** A SQLite file path (or ":memory:") or a postgres:// URL. */
  databaseUrl: string;
  /** How long a request waits for the database (connect, query, lock) before a 503. */
  databaseTimeoutMs: number;
  /** base64 32 bytes; undefined outside production means "generate under dataDir". */
  encryptionKey: string | undefined;
  previousEncryptionKeys: string[];
  platformToken: string | undefined;
  atlassian: {
    authUrl: string;
    apiUrl: string;
    /** Set together, or neither (then development instances use the built-in emulator). */
    sharedClientId: string | undefined;
    sharedClientSecret: string | undefined;
    /** True when the operator pointed Foyer at an Atlassian of their own choosing. */
    urlsConfigured: boolean;
    /** Timeout of every call to Atlassian (ms). */
    timeoutMs: number;
    /** Keep-alive refreshes every grant not refreshed for this long (ms), well inside Atlassian's 90 days. */
    keepAliveMs: number;
    /**
     * Atlassian's reuse leeway for a rotated-out refresh token (ms). A refresh whose answer was
     * lost is retried only inside it; after it, a retry would make Atlassian revoke the grant.
     */
    refreshLeewayMs: number;
  };
  emulatorPort: number;
  logLevel: string;
  workers: number;
  /**
   * Requests per minute: per client IP on the Frontend API, per instance on the Backend API;
   * sign-in starts per instance; and the most pending sign-ins an instance may have. 0 = off.
   */
  rateLimits: {
    frontendPerMinute: number;
    backendPerMinute: number;
    signInStartsPerInstancePerMinute: number;
    maxPendingSignInsPerInstance: number;
  };
  /**
   * Which X-Forwarded-For entries to believe (FOYER_TRUST_PROXY): undefined, none (the socket's
   * peer is the client); `hops`, that many proxies in front of Foyer; `proxies`, the addresses
   * and CIDR ranges of the trusted proxies.
   */
  trustProxy: TrustProxy | undefined;
  /** Redis for the shared rate-limit counters (else they live in the database). */
  redisUrl: string | undefined;
  /** Prefix of every Redis key Foyer writes (several deployments may share one Redis). */
  redisKeyPrefix: string;
}

export type TrustProxy = { hops: number } | { proxies: string[] };

const MAX_PROXY_HOPS = 32;

/** An address or a CIDR range (IPv4 or IPv6), as FOYER_TRUST_PROXY lists them. */
export function isAddressOrCidr(entry: string): boolean {
  const [address = "", prefix, ...rest] = entry.split("/");
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * FOYER_TRUST_PROXY: unset, `0` or `false` trusts no proxy; `1` or `true` one; a number N that
 * many hops; otherwise a comma-separated list of the proxies' addresses or CIDR ranges. Anything
 * else is refused: a typo must not silently trust (or distrust) X-Forwarded-For.
 */
export function parseTrustProxy(raw: string | undefined, problems: string[]): TrustProxy | undefined {
  const value = (raw ?? "").trim();
  if (value === "" || value === "0" || value === "false") return undefined;
  if (value === "true") return { hops: 1 };
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > MAX_PROXY_HOPS) {
      problems.push(`FOYER_TRUST_PROXY must be at most ${MAX_PROXY_HOPS} proxy hops (got "${value}").`);
    }
    return { hops: Math.min(hops, MAX_PROXY_HOPS) };
  }
  const proxies = value.split(",").map((p) => p.trim());
  const bad = proxies.find((p) => !isAddressOrCidr(p));
  if (bad !== undefined) {
    problems.push(
      "FOYER_TRUST_PROXY must be 1 or true (one proxy), a number of proxy hops, or a comma-separated list " +
        `of proxy addresses or CIDR ranges, IPv4 or IPv6 (got "${bad}" in "${value}").`,
    );
  }
  return { proxies };
}

function parseRedisUrl(value: string | undefined, problems: string[]): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol === "redis:" || url.protocol === "rediss:") return value;
  } catch {}
  problems.push("FOYER_REDIS_URL must be a redis:// or rediss:// URL.");
  return undefined;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Foyer cannot start:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

function parsePort(value: string | undefined, name: string, fallback: number, problems: string[]): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    problems.push(`${name} must be a port number from 0 to 65535 (got "${value}").`);
    return fallback;
  }
  return n;
}

function parseHttpUrl(value: string, name: string, problems: string[]): string {
  try {
    const url = new URL(value);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("scheme");
    if (url.search || url.hash) {
      problems.push(`${name} must not have a query or fragment (got "${value}").`);
    }
    return url.href.replace(/\/+$/, "");
  } catch {
    problems.push(`${name} must be an http(s) URL (got "${value}").`);
    return value;
  }
}

function isLoopbackUrl(value: string): boolean {
  const host = new URL(value).hostname;
  return host === "localhost" || host === "[::1]" || /^127\./.test(host);
}

/**
 * DATABASE_URL as people write it: a SQLite file path, a `file:` or `sqlite:` URL (as Prisma and
 * Drizzle users write SQLite URLs), or a postgres:// URL. Anything else is refused by name, never
 * taken for a relative file path (`file:/var/lib/foyer.db` used to create a folder named `file:`).
 */
export function parseDatabaseUrl(value: string, problems: string[]): string {
  if (/^postgres(ql)?:\/\//i.test(value) || value === ":memory:") return value;
  const sqliteUrl = /^(file|sqlite):(\/\/)?(.*)$/i.exec(value);
  if (sqliteUrl) {
    const path = decodeURIComponent((sqliteUrl[3] ?? "").replace(/\?.*$/, ""));
    if (!path) problems.push(`DATABASE_URL names no file (got "${value}").`);
    return path;
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1];
  // One letter before a colon is a Windows drive, not a scheme.
  if (scheme && scheme.length > 1) {
    problems.push(
      `DATABASE_URL must be a SQLite file path, a file: or sqlite: URL, or a postgres:// URL (got a ${scheme}: URL).`,
    );
  }
  return value;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const problems: string[] = [];
  const production = env.NODE_ENV === "production";
  const port = parsePort(env.PORT, "PORT", 3000, problems);
  const emulatorPort = parsePort(
    env.FOYER_EMULATOR_PORT,
    "FOYER_EMULATOR_PORT",
    port === 0 ? 0 : port + 1,
    problems,
  );
  const dataDir = env.FOYER_DATA_DIR || ".foyer";

  let publicUrl = `http://localhost:${port}`;
  if (env.FOYER_PUBLIC_URL) publicUrl = parseHttpUrl(env.FOYER_PUBLIC_URL, "FOYER_PUBLIC_URL", problems);
  else if (production)
    problems.push("FOYER_PUBLIC_URL is required in production (the URL users reach Foyer at).");
  if (production && publicUrl.startsWith("http:") && !isLoopbackUrl(publicUrl)) {
    // Session cookies would travel in clear text and lose their Secure flag.
    problems.push(
      `FOYER_PUBLIC_URL must be https in production (got "${publicUrl}"; plain http only on loopback).`,
    );
  }

  const databaseUrl = parseDatabaseUrl(env.DATABASE_URL || `${dataDir}/foyer.db`, problems);

  const encryptionKey = env.FOYER_ENCRYPTION_KEY || undefined;
  if (encryptionKey) {
    const bytes = Buffer.from(encryptionKey, "base64");
    if (bytes.length !== 32)
      problems.push("FOYER_ENCRYPTION_KEY must be 32 bytes in base64 (openssl rand -base64 32).");
  } else if (production) {
    problems.push("FOYER_ENCRYPTION_KEY is required in production (openssl rand -base64 32).");
  }
  const previousEncryptionKeys = (env.FOYER_PREVIOUS_ENCRYPTION_KEYS ?? "")
    .split(",")
    .map((k) => k.trim())
    .filter(Boolean);
  for (const k of previousEncryptionKeys) {
    if (Buffer.from(k, "base64").length !== 32) {
      problems.push("FOYER_PREVIOUS_ENCRYPTION_KEYS must be a comma-separated list of 32-byte base64 keys.");
    }
  }

  const platformToken = env.FOYER_PLATFORM_TOKEN || undefined;
  if (platformToken && platformToken.length < 32) {
    problems.push("FOYER_PLATFORM_TOKEN must be at least 32 characters (openssl rand -base64 32).");
  } else if (!platformToken && production) {
    problems.push("FOYER_PLATFORM_TOKEN is required in production (openssl rand -base64 32).");
  }

  const authUrl = parseHttpUrl(
    env.FOYER_ATLASSIAN_AUTH_URL || "https://auth.atlassian.com",
    "FOYER_ATLASSIAN_AUTH_URL",
    problems,
  );
  const apiUrl = parseHttpUrl(
    env.FOYER_ATLASSIAN_API_URL || "https://api.atlassian.com",
    "FOYER_ATLASSIAN_API_URL",
    problems,
  );
  const sharedClientId = env.FOYER_ATLASSIAN_SHARED_CLIENT_ID || undefined;
  const sharedClientSecret = env.FOYER_ATLASSIAN_SHARED_CLIENT_SECRET || undefined;
  if (Boolean(sharedClientId) !== Boolean(sharedClientSecret)) {
    problems.push(
      "Set FOYER_ATLASSIAN_SHARED_CLIENT_ID and FOYER_ATLASSIAN_SHARED_CLIENT_SECRET together, or neither.",
    );
  }

  const number = (name: string, fallback: number, min: number, max: number, what: string) => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max) {
      problems.push(`${name} must be ${what} (got "${raw}").`);
      return fallback;
    }
    return n;
  };
  const DAY_MS = 24 * 60 * 60 * 1000;
  const atlassianTimeoutMs = number(
    "FOYER_ATLASSIAN_TIMEOUT_MS",
    10_000,
    100,
    120_000,
    "a number of milliseconds from 100 to 120000",
  );
  // Atlassian expires a refresh token after 90 idle days; decimals let a test use seconds.
  const keepAliveDays = number(
    "FOYER_ATLASSIAN_KEEPALIVE_DAYS",
    30,
    0.00001,
    80,
    "a number of days above 0 and at most 80 (Atlassian expires idle grants after 90)",
  );
  const refreshLeewaySeconds = number(
    "FOYER_ATLASSIAN_REFRESH_LEEWAY_SECONDS",
    600,
    0,
    600,
    "a number of seconds from 0 to 600 (Atlassian's documented leeway is 600)",
  );

  const databaseTimeoutMs = number(
    "FOYER_DATABASE_TIMEOUT_MS",
    5_000,
    100,
    600_000,
    "a number of milliseconds from 100 to 600000",
  );

  const logLevel = env.LOG_LEVEL || "info";
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}.`);

  const workers = env.FOYER_WORKERS ? Number(env.FOYER_WORKERS) : 1;
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
    problems.push("FOYER_WORKERS must be a whole number from 1 to 64.");
  }

  const perMinute = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) {
      problems.push(`${name} must be a whole number of requests per minute (0 turns the limit off).`);
      return fallback;
    }
    return n;
  };
  const rateLimits = {
    frontendPerMinute: perMinute("FOYER_RATE_LIMIT_FRONTEND_PER_MINUTE", 1200),
    backendPerMinute: perMinute("FOYER_RATE_LIMIT_BACKEND_PER_MINUTE", 6000),
    signInStartsPerInstancePerMinute: perMinute(
      "FOYER_RATE_LIMIT_SIGN_IN_STARTS_PER_INSTANCE_PER_MINUTE",
      600,
    ),
    maxPendingSignInsPerInstance: perMinute("FOYER_MAX_PENDING_SIGN_INS_PER_INSTANCE", 10_000),
  };
  const trustProxy = parseTrustProxy(env.FOYER_TRUST_PROXY, problems);
  const redisUrl = parseRedisUrl(env.FOYER_REDIS_URL, problems);
  const redisKeyPrefix = env.FOYER_REDIS_KEY_PREFIX || "foyer:";

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host: env.HOST || (production ? "0.0.0.0" : "127.0.0.1"),
    publicUrl,
    production,
    dataDir,
    databaseUrl,
    databaseTimeoutMs,
    encryptionKey,
    previousEncryptionKeys,
    platformToken,
    atlassian: {
      authUrl,
      apiUrl,
      sharedClientId,
      sharedClientSecret,
      urlsConfigured: Boolean(env.FOYER_ATLASSIAN_AUTH_URL || env.FOYER_ATLASSIAN_API_URL),
      timeoutMs: atlassianTimeoutMs,
      keepAliveMs: keepAliveDays * DAY_MS,
      refreshLeewayMs: refreshLeewaySeconds * 1000,
    },
    emulatorPort,
    logLevel,
    workers,
    rateLimits,
    trustProxy,
    redisUrl,
    redisKeyPrefix,
  };
}
