/**
 * Why a request's access token was refused. `code` is the RFC 6750 error the challenge carries;
 * `reason` says which check failed (for logs, never for the client's decisions).
 */
export type McpAuthErrorCode = "invalid_token" | "insufficient_scope" | "invalid_request";

/** Which check refused the token. */
export type McpAuthFailure =
  | "missing_token"
  | "malformed_header"
  | "malformed_token"
  | "wrong_type"
  | "bad_signature"
  | "wrong_issuer"
  | "wrong_audience"
  | "expired"
  | "not_yet_valid"
  | "missing_claim"
  | "missing_scope"
  | "keys_unavailable";

/** Thrown by the verifier and by `authenticate`; `status` is 401, or 403 for a missing scope. */
export class McpAuthError extends Error {
  readonly code: McpAuthErrorCode;
  readonly reason: McpAuthFailure;
  readonly status: 400 | 401 | 403 | 503;
  /** For `insufficient_scope`: every scope the request needs (what the client should ask for). */
  readonly requiredScopes: readonly string[];

  constructor(
    reason: McpAuthFailure,
    message: string,
    init: { requiredScopes?: readonly string[]; cause?: unknown } = {},
  ) {
    super(message, { cause: init.cause });
    this.name = "McpAuthError";
    this.reason = reason;
    this.requiredScopes = init.requiredScopes ?? [];
    if (reason === "missing_scope") {
      this.code = "insufficient_scope";
      this.status = 403;
    } else if (reason === "keys_unavailable") {
      // Not the token's fault: the client should retry, not throw its token away.
      this.code = "invalid_request";
      this.status = 503;
    } else if (reason === "malformed_header") {
      this.code = "invalid_request";
      this.status = 400;
    } else {
      this.code = "invalid_token";
      this.status = 401;
    }
  }
}
