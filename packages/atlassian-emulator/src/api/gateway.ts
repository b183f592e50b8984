/**
 * What the api.atlassian.com gateway does before any product sees a request: Bearer token
 * lookup, the gateway's own error bodies, and the 429 fault.
 */
import type { Context } from "hono";
import { takeFault } from "../faults.js";
import type { AccessTokenRecord, EmulatorState } from "../state.js";
import { liveAccessToken } from "../tokens.js";

export const UNAUTHORIZED = { code: 401, message: "Unauthorized" } as const;
export const SCOPE_MISMATCH = { code: 401, message: "Unauthorized; scope does not match" } as const;

export function bearerToken(state: EmulatorState, c: Context): AccessTokenRecord | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
  return match ? liveAccessToken(state, match[1]!) : undefined;
}

/** The 429 a product answers when the app exceeds its rate limit (Jira's headers, S59/S60). */
export function rateLimited(state: EmulatorState, c: Context): Response | undefined {
  const fault = takeFault(state, "api_429");
  if (!fault) return undefined;
  const resetAt = new Date(Date.now() + fault.retryAfterSeconds * 1000).toISOString();
  return c.json({ code: 429, message: "Rate limit exceeded" }, 429, {
    "Retry-After": String(fault.retryAfterSeconds),
    "X-RateLimit-Limit": "100",
    "X-RateLimit-Remaining": "0",
    "X-RateLimit-Reset": resetAt,
    "RateLimit-Reason": "jira-burst-based",
  });
}
