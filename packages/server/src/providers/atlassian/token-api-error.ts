import type { ErrorCode } from "@foyer/contract";
import { ApiError } from "../../errors/api-error.js";
import type { AtlassianTokenError } from "./token-error.js";

/** Seconds a client is told to wait when Atlassian was unavailable and did not say how long. */
const DEFAULT_RETRY_AFTER_SECONDS = 5;

/**
 * The service's error code for a token-endpoint failure, the same for the sign-in callback and
 * the token refresh. Only `grant_dead` depends on the phase: a dead code means "sign in again",
 * a dead grant "reconnect Atlassian".
 */
export function tokenErrorCode(err: AtlassianTokenError): ErrorCode {
  switch (err.kind) {
    case "grant_dead":
      return err.phase === "code_exchange" ? "oauth_code_invalid" : "oauth_reauthorization_required";
    case "invalid_client":
      return "oauth_invalid_client";
    case "unavailable":
      return "oauth_provider_unavailable";
    case "nonsense":
      return "oauth_provider_error";
  }
}

/**
 * The `ApiError` a caller throws for a token-endpoint failure. `retryAfterSeconds` overrides
 * Atlassian's own `Retry-After` (the refresh path shares one back-off across processes).
 */
export function tokenApiError(
  err: AtlassianTokenError,
  opts: { meta?: Record<string, unknown>; retryAfterSeconds?: number } = {},
): ApiError {
  const code = tokenErrorCode(err);
  const headers: Record<string, string> = {};
  if (err.kind === "unavailable") {
    headers["Retry-After"] = String(
      opts.retryAfterSeconds ?? err.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS,
    );
  }
  // The cause is safe to log: an AtlassianTokenError carries no body and no token.
  return new ApiError(code, { cause: err, meta: opts.meta, headers });
}
