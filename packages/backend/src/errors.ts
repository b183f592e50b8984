import type { ErrorCode, ErrorEntryJSON } from "@foyer/contract";

/**
 * Why a session token was refused. A closed set: callers `switch (err.code)` and the compiler
 * checks the cases. Codes are stable across versions.
 */
export type TokenErrorCode =
  /** Not three base64url parts of JSON, or a header this verifier does not understand (`crit`). */
  | "token_malformed"
  /** `alg` is not RS256 (`none`, HS256 and everything else are refused before any key is used). */
  | "token_invalid_algorithm"
  /** The header carries its own key or key URL (`jku`, `jwk`, `x5u`, `x5c`): never trusted. */
  | "token_header_key_refused"
  /** No published key of this instance has the token's `kid`, even after one refetch. */
  | "token_unknown_kid"
  | "token_invalid_signature"
  | "token_expired"
  | "token_not_active_yet"
  | "token_invalid_issuer"
  | "token_invalid_authorized_party"
  /** Signed by the instance but not a session token (no `tkn: "session"` claim, or another `typ`). */
  | "token_not_a_session_token"
  /** `sub`, `sid`, `exp` or `iat` missing or of the wrong type. */
  | "token_invalid_claims"
  /** The JWKS could not be fetched (network, HTTP error, or not a JWKS). */
  | "jwks_unavailable"
  /** The options name no usable key source (a bug in the caller, not a bad token). */
  | "verifier_misconfigured";

/** Thrown by verifyToken: `code` says why the token was refused (see TokenErrorCode). */
export class TokenVerificationError extends Error {
  readonly code: TokenErrorCode;

  constructor(code: TokenErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TokenVerificationError";
    this.code = code;
  }
}

/** One error entry of the Backend API's error body (Clerk's shape). */
export type FoyerApiErrorEntry = ErrorEntryJSON;

/**
 * What a FoyerApiError's `code` can be: a code of Foyer's error catalogue (docs/errors.md), or
 * `network_error` / `invalid_response` when there was no usable answer.
 */
export type FoyerApiErrorCode = ErrorCode | "network_error" | "invalid_response";

/**
 * A Backend API call that did not succeed. Switch on `code` (the compiler knows every value):
 * e.g. `oauth_reauthorization_required` means the user must reconnect Atlassian.
 */
export class FoyerApiError extends Error {
  readonly code: FoyerApiErrorCode;
  readonly status: number;
  readonly errors: FoyerApiErrorEntry[];
  /** Seconds to wait before retrying, from the Retry-After header (429 and 503 answers). */
  readonly retryAfter: number | undefined;

  constructor(
    init: {
      code: FoyerApiErrorCode;
      status: number;
      message: string;
      errors?: FoyerApiErrorEntry[];
      retryAfter?: number;
    },
    options?: { cause?: unknown },
  ) {
    super(init.message, options);
    this.name = "FoyerApiError";
    this.code = init.code;
    this.status = init.status;
    this.errors = init.errors ?? [];
    this.retryAfter = init.retryAfter;
  }
}
