import { type KeyObject, verify } from "node:crypto";
import {
  type SessionTokenClaims as MintedClaims,
  parsePublishableKey,
  SESSION_TOKEN_MARKER,
} from "@foyer/contract";
import { TokenVerificationError } from "./errors.js";
import { decodeJws, parseJson } from "./jwt.js";
import { jwksKey, pemPublicKey } from "./keys.js";

/** The documented clock skew: 5 seconds either side of exp, nbf and iat. */
export const DEFAULT_CLOCK_SKEW_MS = 5000;

/**
 * Where the verification key comes from, in order of preference:
 * - `jwtKey`: the instance's PEM public key; no network at all.
 * - `frontendApiUrl` or `publishableKey`: the Frontend API's public JWKS.
 * - `secretKey` + `apiUrl`: the Backend API's JWKS (`<apiUrl>/v1/jwks`).
 */
export interface VerifyTokenOptions {
  jwtKey?: string;
  frontendApiUrl?: string;
  publishableKey?: string;
  secretKey?: string;
  /** Foyer's public URL, the base of the Backend API (`/v1` is appended). */
  apiUrl?: string;
  /** Required `iss`. Defaults to the Frontend API URL when one is known from the options. */
  issuer?: string;
  /**
   * Origins a token may have been minted for (`azp`). When given (non-empty), a token must name
   * one of them: a token with no `azp` is refused too (`token_invalid_authorized_party`).
   */
  authorizedParties?: string[];
  /** Clock skew allowed on exp, nbf and iat (default 5000 ms). */
  clockSkewInMs?: number;
  /** The current time in ms (tests); defaults to Date.now. */
  now?: () => number;
  /** fetch for JWKS requests (defaults to the global one). */
  fetch?: typeof fetch;
}

/**
 * The claims of a verified Foyer session token: the contract's claims as Foyer mints them, with
 * `nbf` and `v` optional (checked only when present) and any further claim kept.
 */
export interface SessionTokenClaims extends Omit<MintedClaims, "nbf" | "v"> {
  nbf?: number;
  /** Clerk's session token version. */
  v?: number;
  [claim: string]: unknown;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

/** The FAPI URL the options name (explicitly or through a publishable key), if any. */
export function frontendApiUrlOf(options: VerifyTokenOptions): string | undefined {
  if (options.frontendApiUrl) return trimSlash(options.frontendApiUrl);
  if (options.publishableKey) {
    const info = parsePublishableKey(options.publishableKey);
    if (!info)
      throw new TokenVerificationError("verifier_misconfigured", "publishableKey is not a Foyer key.");
    return info.frontendApiUrl;
  }
  return undefined;
}

async function keyFor(options: VerifyTokenOptions, kid: string | undefined, fapi: string | undefined) {
  // With a PEM the key is fixed: the token's kid cannot select anything else.
  if (options.jwtKey) return pemPublicKey(options.jwtKey);
  if (fapi)
    return jwksKey({ url: `${fapi}/.well-known/jwks.json`, fetch: options.fetch, now: options.now }, kid);
  if (options.secretKey && options.apiUrl) {
    const url = `${trimSlash(options.apiUrl)}/v1/jwks`;
    return jwksKey({ url, secretKey: options.secretKey, fetch: options.fetch, now: options.now }, kid);
  }
  throw new TokenVerificationError(
    "verifier_misconfigured",
    "Give jwtKey, frontendApiUrl, publishableKey, or secretKey with apiUrl.",
  );
}

function claimsOf(payloadPart: string): SessionTokenClaims {
  const claims = parseJson(payloadPart, "payload");
  if (claims[SESSION_TOKEN_MARKER.claim] !== SESSION_TOKEN_MARKER.value) {
    throw new TokenVerificationError("token_not_a_session_token", "The token is not a Foyer session token.");
  }
  const strings = ["iss", "sub", "sid"] as const;
  for (const name of strings) {
    if (typeof claims[name] !== "string") {
      throw new TokenVerificationError("token_invalid_claims", `The token's ${name} claim is missing.`);
    }
  }
  if (typeof claims.exp !== "number" || typeof claims.iat !== "number") {
    throw new TokenVerificationError("token_invalid_claims", "The token's exp or iat claim is missing.");
  }
  if (claims.nbf !== undefined && typeof claims.nbf !== "number") {
    throw new TokenVerificationError("token_invalid_claims", "The token's nbf claim is not a number.");
  }
  return claims as SessionTokenClaims;
}

/**
 * Verifies a Foyer session token and returns its claims, or throws a TokenVerificationError
 * whose `code` says why (RFC 8725 practices: algorithm pinned to RS256 per key, keys never taken
 * from the token, issuer, time and authorized-party checks, a token-type marker).
 *
 * Time: the token is expired from `exp + skew` on (so with the default 5 s skew, a token with
 * exp = T verifies until T+5 s minus a millisecond), and not yet active before `nbf - skew`.
 */
export async function verifyToken(token: string, options: VerifyTokenOptions): Promise<SessionTokenClaims> {
  const jws = decodeJws(token);
  const fapi = frontendApiUrlOf(options);
  const key: KeyObject = await keyFor(options, jws.header.kid, fapi);
  if (!verify("sha256", Buffer.from(jws.signingInput), key, jws.signature)) {
    throw new TokenVerificationError("token_invalid_signature", "The token's signature does not verify.");
  }
  const claims = claimsOf(jws.payloadPart);

  const issuer = options.issuer ? trimSlash(options.issuer) : fapi;
  if (issuer !== undefined && claims.iss !== issuer) {
    throw new TokenVerificationError("token_invalid_issuer", `The token was issued by ${claims.iss}.`);
  }
  // A token without azp was minted without an Origin the instance allows (a script, another
  // site's server): when the app names its origins, such a token is not for it. Clerk agrees.
  if (
    options.authorizedParties &&
    options.authorizedParties.length > 0 &&
    (claims.azp === undefined || !options.authorizedParties.includes(claims.azp))
  ) {
    throw new TokenVerificationError(
      "token_invalid_authorized_party",
      claims.azp === undefined
        ? "The token names no authorized party (azp), and this verifier only accepts tokens minted for its origins."
        : `The token was minted for ${claims.azp}.`,
    );
  }
  const now = options.now ? options.now() : Date.now();
  const skew = options.clockSkewInMs ?? DEFAULT_CLOCK_SKEW_MS;
  if (now >= claims.exp * 1000 + skew) {
    throw new TokenVerificationError("token_expired", "The token has expired.");
  }
  if (claims.nbf !== undefined && now < claims.nbf * 1000 - skew) {
    throw new TokenVerificationError("token_not_active_yet", "The token is not valid yet (nbf).");
  }
  if (now < claims.iat * 1000 - skew) {
    throw new TokenVerificationError("token_not_active_yet", "The token was issued in the future (iat).");
  }
  return claims;
}
