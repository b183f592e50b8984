/**
 * What the api.atlassian.com gateway does before any product sees a request: Bearer token
 * lookup and the gateway's own error bodies (atlassian-3lo §5, §10a 16-18).
 */
import type { Context } from "hono";
import type { EmulatorState } from "../state.js";
import { checkAccessToken, type TokenCheck } from "../tokens.js";

export const UNAUTHORIZED = { code: 401, message: "Unauthorized" } as const;
export const SCOPE_MISMATCH = { code: 401, message: "Unauthorized; scope does not match" } as const;

/** The request's Bearer token, checked; a missing or malformed header counts as an unknown token. */
export function bearerToken(state: EmulatorState, c: Context): TokenCheck {
  const match = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
  return match ? checkAccessToken(state, match[1]!) : { ok: false, reason: "unknown" };
}
