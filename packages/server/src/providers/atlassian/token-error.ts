/**
 * What can go wrong at Atlassian's token endpoint, said once for both grants. Every failure, be
 * it a thrown fetch error, a timeout, an HTTP status, an HTML or JSON body, a `WWW-Authenticate`
 * challenge or an oauth4webapi error, becomes an `AtlassianTokenError` of one of four kinds, each
 * naming what the caller must do (arctic's split, atlassian-3lo §2, §3 and §10b.9-10).
 */
import * as oauth from "oauth4webapi";

/** Which grant was asked for: the authorization code exchange or the refresh. */
export type TokenEndpointPhase = "code_exchange" | "refresh";

/**
 * - `grant_dead`: Atlassian refused what we presented. On refresh (`invalid_grant`,
 *   `unauthorized_client`) the grant is gone and the user must consent again; at the code
 *   exchange the code is spent, expired or foreign (any OAuth error but a client one), and the
 *   user starts signing in again.
 * - `invalid_client`: the Client ID or Secret is wrong (401, `invalid_client`, `access_denied`,
 *   a `WWW-Authenticate` challenge). An operator fixes it; sending users to consent would loop.
 * - `unavailable`: network error, timeout, 5xx, 429 or a redirect: retry later, the grant is fine.
 * - `nonsense`: anything else (200 with HTML, bad JSON, no access_token, unknown errors): alert.
 */
export type TokenErrorKind = "grant_dead" | "invalid_client" | "unavailable" | "nonsense";

/**
 * The one error the token-endpoint functions throw. It never carries a response body or an
 * oauth4webapi error as `cause`: those can hold tokens, and causes get logged.
 */
export class AtlassianTokenError extends Error {
  readonly kind: TokenErrorKind;
  readonly phase: TokenEndpointPhase;
  /** The HTTP status Atlassian answered with; undefined when no answer came. */
  readonly status: number | undefined;
  /** Atlassian's `error` code (RFC 6749 §5.2), when it sent one. */
  readonly oauthError: string | undefined;
  /** Seconds Atlassian asked us to wait (`Retry-After`, RFC 9110 §10.2.3), for `unavailable`. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    kind: TokenErrorKind,
    phase: TokenEndpointPhase,
    message: string,
    opts: { status?: number; oauthError?: string; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = "AtlassianTokenError";
    this.kind = kind;
    this.phase = phase;
    this.status = opts.status;
    this.oauthError = opts.oauthError;
    this.retryAfterSeconds = opts.retryAfterSeconds;
  }
}

/** RFC 6749 §5.2 error codes that blame the client's credentials, not the grant or the code. */
const CLIENT_ERRORS = new Set(["invalid_client", "access_denied"]);
/** RFC 6749 §5.2 error codes that, on refresh, mean the grant is dead (atlassian-3lo §3). */
const DEAD_GRANT_ERRORS = new Set(["invalid_grant", "unauthorized_client"]);

/**
 * `Retry-After` as delta-seconds. The HTTP-date form is not read: Atlassian is not seen sending
 * it, and callers fall back to their own back-off.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 */
export function retryAfterSeconds(headers: Headers): number | undefined {
  const value = headers.get("retry-after")?.trim();
  return value && /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}

/**
 * A fetch that got no (whole) answer: undici's "fetch failed", an abort, the timeout signal, also
 * when it fires while the body is read (oauth4webapi then wraps it in a parse error).
 */
function isNetworkFailure(err: unknown): boolean {
  if (err instanceof DOMException) return err.name === "TimeoutError" || err.name === "AbortError";
  if (err instanceof oauth.OperationProcessingError && err.code === oauth.PARSE_ERROR) {
    return isNetworkFailure(err.cause);
  }
  // oauth4webapi's own argument errors are TypeErrors too, but carry an ERR_* code.
  return err instanceof TypeError && !("code" in err);
}

/**
 * Classifies a token-endpoint failure. `failure` is what was thrown (by fetch, by oauth4webapi's
 * request or process function); `response`, when one came, is Atlassian's answer. Status beats
 * body: 5xx and 429 bodies are gateway pages, and a redirect is never followed (SECURITY.md).
 *
 * @see https://datatracker.ietf.org/doc/html/rfc6749#section-5.2
 */
export function classifyTokenEndpointFailure(
  phase: TokenEndpointPhase,
  failure: unknown,
  response?: Response,
): AtlassianTokenError {
  if (failure instanceof AtlassianTokenError) return failure;
  const status = response?.status;
  const what = phase === "code_exchange" ? "code exchange" : "refresh";

  if (response && status !== undefined) {
    if ((status >= 300 && status < 400) || status >= 500 || status === 429) {
      return new AtlassianTokenError("unavailable", phase, `Atlassian answered the ${what} with ${status}`, {
        status,
        retryAfterSeconds: retryAfterSeconds(response.headers),
      });
    }
  }

  // RFC 6749 §5.2: a client that authenticated badly gets invalid_client, with 401 and a
  // challenge when it used an Authorization header. Atlassian says 401 access_denied instead.
  if (failure instanceof oauth.WWWAuthenticateChallengeError) {
    return new AtlassianTokenError(
      "invalid_client",
      phase,
      `Atlassian challenged the client credentials at the ${what} (WWW-Authenticate)`,
      { status: failure.status },
    );
  }

  if (failure instanceof oauth.ResponseBodyError) {
    const oauthError = failure.error.slice(0, 100);
    const opts = { status: failure.status, oauthError };
    if (failure.status === 401 || CLIENT_ERRORS.has(oauthError)) {
      return new AtlassianTokenError(
        "invalid_client",
        phase,
        `Atlassian refused the client credentials (${oauthError})`,
        opts,
      );
    }
    // At the code exchange any other OAuth error is fatal for that code (atlassian-3lo §2):
    // Atlassian says invalid_request or invalid_grant, with 400 or 403, for the same thing.
    if (phase === "code_exchange" || DEAD_GRANT_ERRORS.has(oauthError)) {
      const subject = phase === "code_exchange" ? "authorization code" : "refresh token";
      return new AtlassianTokenError(
        "grant_dead",
        phase,
        `Atlassian refused the ${subject} (${oauthError})`,
        opts,
      );
    }
    return new AtlassianTokenError(
      "nonsense",
      phase,
      `Atlassian answered the ${what} with ${oauthError}`,
      opts,
    );
  }

  // A 401 whose body is no OAuth error (HTML, empty) still means the client was not accepted.
  if (status === 401) {
    return new AtlassianTokenError("invalid_client", phase, `Atlassian answered the ${what} with 401`, {
      status,
    });
  }

  if (isNetworkFailure(failure)) {
    const reason = failure instanceof Error ? failure.name : "unknown";
    return new AtlassianTokenError(
      "unavailable",
      phase,
      `Atlassian's token endpoint did not answer (${reason})`,
    );
  }

  // oauth4webapi's OperationProcessingError and UnsupportedOperationError land here: their message
  // is kept, their cause (the parsed body or the Response) is not.
  const reason = failure instanceof Error ? failure.message : "unknown";
  return new AtlassianTokenError(
    "nonsense",
    phase,
    `Atlassian's ${what} answer was not a token response: ${reason}`,
    {
      status,
    },
  );
}
