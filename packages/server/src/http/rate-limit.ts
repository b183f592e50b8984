import { isIPv6 } from "node:net";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context, MiddlewareHandler } from "hono";
import { ApiError } from "../errors/api-error.js";

/**
 * Token-bucket rate limits: per client IP on the Frontend API, per secret key on the Backend API.
 * Buckets live in this process's memory, so with N processes the effective limit is N times the
 * setting: a brake on abuse and runaway loops, not an exact quota.
 */
export interface RateLimitSettings {
  /** Requests per minute (also the burst size); 0 turns the limit off. */
  perMinute: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

const MAX_BUCKETS = 100_000;

function evictOldest(buckets: Map<string, Bucket>, count: number): void {
  for (const key of buckets.keys()) {
    if (count-- <= 0) return;
    buckets.delete(key);
  }
}

export function rateLimit(
  settings: RateLimitSettings,
  keyOf: (c: Context) => string | undefined,
  now: () => number = Date.now,
  maxBuckets = MAX_BUCKETS,
): MiddlewareHandler {
  const buckets = new Map<string, Bucket>();
  const perMs = settings.perMinute / 60_000;
  return async (c, next) => {
    const key = settings.perMinute > 0 ? keyOf(c) : undefined;
    if (key !== undefined) {
      const t = now();
      let bucket = buckets.get(key);
      if (bucket) {
        // Map order is insertion order: re-inserting keeps the map ordered by last use.
        buckets.delete(key);
      } else {
        // Bounded memory without forgetting everyone at once (clearing the whole map would hand
        // a flooding client a fresh bucket): drop the least recently used buckets only.
        if (buckets.size >= maxBuckets) evictOldest(buckets, Math.max(1, Math.floor(maxBuckets / 10)));
        bucket = { tokens: settings.perMinute, at: t };
      }
      buckets.set(key, bucket);
      bucket.tokens = Math.min(settings.perMinute, bucket.tokens + (t - bucket.at) * perMs);
      bucket.at = t;
      if (bucket.tokens < 1) {
        const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
        throw new ApiError("rate_limited", { headers: { "Retry-After": String(retryAfter) } });
      }
      bucket.tokens -= 1;
    }
    await next();
  };
}

/**
 * The client's IP: the socket's peer, or with FOYER_TRUST_PROXY the first X-Forwarded-For entry
 * (only behind a proxy that sets it; otherwise clients could pick their own bucket). Requests
 * that did not come over a socket (in-process calls) have none and are not limited.
 */
export function clientIp(trustProxy: boolean): (c: Context) => string | undefined {
  return (c) => {
    if (trustProxy) {
      const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
      if (forwarded) return rateLimitKeyOfIp(forwarded);
    }
    try {
      const address = getConnInfo(c).remote.address;
      return address ? rateLimitKeyOfIp(address) : undefined;
    } catch {
      return undefined;
    }
  };
}

/**
 * The bucket an address counts against. IPv6 clients are grouped by /64: one subscriber usually
 * holds a whole /64 (often far more), so a per-address limit would be no limit at all. IPv4 (and
 * IPv4-mapped IPv6) addresses stand alone.
 */
export function rateLimitKeyOfIp(address: string): string {
  const ip = address
    .replace(/^\[|\]$/g, "")
    .split("%")[0]!
    .toLowerCase();
  if (!isIPv6(ip)) return ip;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (mapped) return mapped[1]!;
  const [head = "", tail = ""] = ip.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  // A trailing dotted quad (64:ff9b::1.2.3.4) stands for two groups.
  const rightGroups = right.length + (right.at(-1)?.includes(".") ? 1 : 0);
  const groups = ip.includes("::")
    ? [...left, ...Array<string>(Math.max(0, 8 - left.length - rightGroups)).fill("0"), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(":")}::/64`;
}

/**
 * A brake on failed credentials from one source: `perMinute` failures refill over a minute.
 * `blocked` answers the Retry-After (seconds) while a source has none left; `fail` spends one
 * and says whether this failure was the one that emptied the bucket (so an episode of guessing
 * is reported once, not once per request).
 */
export function failureThrottle(perMinute: number, now: () => number = Date.now, maxSources = MAX_BUCKETS) {
  const buckets = new Map<string, Bucket>();
  const perMs = perMinute / 60_000;
  const refill = (key: string): Bucket => {
    const t = now();
    let bucket = buckets.get(key);
    if (bucket) buckets.delete(key);
    else {
      if (buckets.size >= maxSources) evictOldest(buckets, Math.max(1, Math.floor(maxSources / 10)));
      bucket = { tokens: perMinute, at: t };
    }
    bucket.tokens = Math.min(perMinute, bucket.tokens + (t - bucket.at) * perMs);
    bucket.at = t;
    buckets.set(key, bucket);
    return bucket;
  };
  return {
    blocked(key: string): number | undefined {
      if (perMinute <= 0) return undefined;
      const bucket = refill(key);
      return bucket.tokens < 1 ? Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)) : undefined;
    },
    fail(key: string): boolean {
      if (perMinute <= 0) return false;
      const bucket = refill(key);
      bucket.tokens = Math.max(0, bucket.tokens - 1);
      return bucket.tokens < 1;
    },
  };
}
