/**
 * Names the server and the SDKs must spell alike: cookies and session-token claims.
 */

/**
 * The long-lived, HttpOnly cookie on the Frontend API that identifies a browser's client (its
 * sessions). Only the server reads it; @foyer/js sends it with `credentials: "include"`.
 */
export const CLIENT_COOKIE = "__client";

/**
 * The base name of the cookie that binds one sign-in (or connect) transaction to the browser
 * that started it; the transaction id follows, so each flow has a cookie of its own and two
 * flows started in two tabs never overwrite each other's binding.
 */
export const BROWSER_BINDING_COOKIE = "foyer_oauth";

/** The binding cookie's name for one transaction (before any prefix, see {@link prefixedCookieName}). */
export function browserBindingCookieName(transactionId: string): string {
  return `${BROWSER_BINDING_COOKIE}_${transactionId}`;
}

/**
 * A cookie's name with the prefix browsers enforce on https
 * ({@link https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis#name-cookie-name-prefixes rfc6265bis §4.1.3}):
 * `__Host-` when its path is `/` (no Domain, so no sibling subdomain can set or shadow it),
 * `__Secure-` otherwise (only a secure origin can have set it). Plain http (loopback development)
 * keeps the bare name, since browsers refuse prefixed cookies without Secure.
 */
export function prefixedCookieName(name: string, cookie: { https: boolean; path: string }): string {
  if (!cookie.https) return name;
  return cookie.path === "/" ? `__Host-${name}` : `__Secure-${name}`;
}

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
  /**
   * The session's active organization, in Clerk's v2 claim (its SDKs read `orgId`, `orgRole`
   * as `org:` + `rol`, and `orgSlug` from it), present only while the user is a member; plus
   * Foyer's `cloud_id`: the Atlassian site a site organization stands for.
   */
  o?: SessionOrganizationClaim;
}

/** The `o` claim of a session token. */
export interface SessionOrganizationClaim {
  /** The organization id (`org_…`). */
  id: string;
  /** The role without its `org:` prefix, as Clerk writes it: `admin` or `member`. */
  rol: string;
  slg: string;
  /** Foyer: the Atlassian cloud id of a site organization. */
  cloud_id?: string;
}
