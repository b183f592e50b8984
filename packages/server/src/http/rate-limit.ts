import { isIPv6 } from "node:net";
import type { Context, MiddlewareHandler } from "hono";
import { ApiError } from "../errors/api-error.js";
import type { WindowCounter } from "../limits/shared-limits.js";

/**
 * The names of the shared limits (limits/shared-limits.ts): each counts per key in the store
 * every process of the deployment adds to, so N processes together hold one limit, not N.
 */
export const LIMITS = {
  /** Frontend API (and the shared OAuth callback) requests per client IP. */
  frontendPerIp: "frontend-ip",
  /** Backend API requests per instance. */
  backendPerInstance: "backend-instance",
  /** Wrong secret keys per source. */
  secretKeyFailures: "secret-key-failures",
  /** Wrong platform tokens per source, Platform API and dashboard sign-in together. */
  platformTokenFailures: "platform-token-failures",
} as const;

/**
 * A rate limit as middleware: counts the request against `keyOf`'s bucket, or refuses it with
 * 429 `rate_limited` and Retry-After once the bucket's limit is spent. A key of undefined (an
 * in-process request with no client address) is not limited.
 */
export function rateLimit(
  counter: WindowCounter,
  keyOf: (c: Context) => string | undefined,
): MiddlewareHandler {
  return async (c, next) => {
    const key = counter.perMinute > 0 ? keyOf(c) : undefined;
    if (key !== undefined) {
      const wait = counter.take(key);
      if (wait !== undefined) throw rateLimited(wait);
    }
    await next();
  };
}

export function rateLimited(retryAfterSeconds: number, longMessage?: string): ApiError {
  return new ApiError("rate_limited", {
    headers: { "Retry-After": String(retryAfterSeconds) },
    ...(longMessage ? { longMessage } : {}),
  });
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
