/**
 * Names the server and the SDKs must spell alike: cookies and session-token claims.
 */

/**
 * The long-lived, HttpOnly cookie on the Frontend API that identifies a browser's client (its
 * sessions). Only the server reads it; @foyer/js sends it with `credentials: "include"`.
 */
export const CLIENT_COOKIE = "__client";

/**
 * The cookie @foyer/js keeps on the app's own domain with the current session token, so a
 * server-rendered app can read it (@foyer/backend's authenticateRequest does). Clerk's name.
 */
export const SESSION_COOKIE = "__session";

/**
 * The claim that makes a JWT a session token. Verifiers require it, so no other token an
 * instance might sign (say, a future JWT template) can pass as a session.
 */
export const SESSION_TOKEN_MARKER = { claim: "tkn", value: "session" } as const;

/** Clerk's session-token version, so Clerk SDKs read Foyer tokens as theirs. */
export const SESSION_TOKEN_VERSION = 2;

/**
 * The claims of a session token as Foyer mints them (RS256, 60 s;
 * {@link https://www.rfc-editor.org/rfc/rfc7519#section-4.1 RFC 7519 §4.1} for the registered ones).
 */
export interface SessionTokenClaims {
  /** The instance's Frontend API URL. */
  iss: string;
  /** The user id. */
  sub: string;
  /** The session id. */
  sid: string;
  /** The app origin the token was minted for, when the browser sent one the instance allows. */
  azp?: string;
  iat: number;
  nbf: number;
  exp: number;
  v: typeof SESSION_TOKEN_VERSION;
  tkn: typeof SESSION_TOKEN_MARKER.value;
}
