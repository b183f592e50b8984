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

export function rateLimit(
  settings: RateLimitSettings,
  keyOf: (c: Context) => string | undefined,
  now: () => number = Date.now,
): MiddlewareHandler {
  const buckets = new Map<string, Bucket>();
  const perMs = settings.perMinute / 60_000;
  return async (c, next) => {
    const key = settings.perMinute > 0 ? keyOf(c) : undefined;
    if (key !== undefined) {
      const t = now();
      let bucket = buckets.get(key);
      if (!bucket) {
        // Forget idle buckets before memory grows without bound (a full bucket equals no bucket).
        if (buckets.size >= MAX_BUCKETS) buckets.clear();
        bucket = { tokens: settings.perMinute, at: t };
        buckets.set(key, bucket);
      }
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
      if (forwarded) return forwarded;
    }
    try {
      return getConnInfo(c).remote.address;
    } catch {
      return undefined;
    }
  };
}
