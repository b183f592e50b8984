/**
 * The rate-limit and outage answers of the API host, as faults. Jira and Confluence answer 429
 * with Retry-After, the X-RateLimit-* family, a RateLimit-Reason and the structured Beta-RateLimit
 * headers; transient 503s carry Retry-After (atlassian-3lo §9, §11 "Rate limits", S59, S60).
 */
import type { Context } from "hono";
import { takeFault } from "../faults.js";
import { type ActiveFault, type EmulatorState, now } from "../state.js";

const DEFAULT_REASON = "jira-burst-based";

/**
 * Where a call lands: `identity` (/me, accessible-resources) sees only `api_429`; `product`
 * (/ex/…) also sees `product_503` and `product_429`.
 */
export type ApiSurface = "identity" | "product";

export function apiFault(state: EmulatorState, c: Context, surface: ApiSurface): Response | undefined {
  if (surface === "product") {
    const outage = takeFault(state, "product_503");
    if (outage) {
      return c.json({ code: 503, message: "Service Unavailable" }, 503, {
        "Retry-After": String(outage.retryAfterSeconds),
      });
    }
    const limited = takeFault(state, "product_429");
    if (limited) return tooManyRequests(state, c, limited);
  }
  const limited = takeFault(state, "api_429");
  return limited ? tooManyRequests(state, c, limited) : undefined;
}

function tooManyRequests(state: EmulatorState, c: Context, fault: ActiveFault): Response {
  const wait = fault.retryAfterSeconds;
  const reason = fault.reason ?? DEFAULT_REASON;
  const policy = policyFor(reason);
  // The reset is the request time plus Retry-After, on the emulator's clock so tests can move it.
  const resetAt = new Date(now(state) + wait * 1000).toISOString();
  return c.json({ code: 429, message: "Rate limit exceeded" }, 429, {
    "Retry-After": String(wait),
    "X-RateLimit-Limit": String(policy.quota),
    "X-RateLimit-Remaining": "0",
    "X-RateLimit-Reset": resetAt,
    "X-RateLimit-NearLimit": "true",
    "RateLimit-Reason": reason,
    "Beta-RateLimit-Policy": `"${policy.name}";q=${policy.quota};w=${policy.windowSeconds}`,
    "Beta-RateLimit": `"${policy.name}";r=0;t=${wait}`,
    "Beta-Retry-After": String(wait),
  });
}

/**
 * The policy a reason belongs to: the hourly points quota (65,000 points per app on the default
 * tier) for `*-quota-*` reasons, else the per-second burst bucket (about 100 requests).
 */
function policyFor(reason: string): { name: string; quota: number; windowSeconds: number } {
  if (reason.includes("quota")) return { name: "global-app-quota", quota: 65000, windowSeconds: 3600 };
  return { name: "burst-based", quota: 100, windowSeconds: 1 };
}
