import { type KeyObject, sign } from "node:crypto";
import {
  SESSION_TOKEN_MARKER,
  SESSION_TOKEN_VERSION,
  type SessionOrganizationClaim,
  type SessionTokenClaims,
} from "@foyer/contract";

/** Session tokens live one minute: revocation reaches every app server within that time. */
export const SESSION_TOKEN_LIFETIME_SECONDS = 60;

/** The claims Foyer mints; @foyer/backend verifies the same contract type. */
export type SessionClaims = SessionTokenClaims;

function b64url(json: unknown): string {
  return Buffer.from(JSON.stringify(json)).toString("base64url");
}

/**
 * Signs a session JWT (RS256, RFC 7515 compact form) with node:crypto and an already parsed
 * key: no library round trip, so a mint costs little more than the RSA signature itself.
 */
export function signSessionJwt(
  key: { kid: string; privateKey: KeyObject },
  claims: { iss: string; sub: string; sid: string; azp: string | undefined; o?: SessionOrganizationClaim },
  nowMs: number,
): { jwt: string; payload: SessionClaims } {
  const iat = Math.floor(nowMs / 1000);
  const payload: SessionClaims = {
    iss: claims.iss,
    sub: claims.sub,
    sid: claims.sid,
    ...(claims.azp ? { azp: claims.azp } : {}),
    iat,
    nbf: iat,
    exp: iat + SESSION_TOKEN_LIFETIME_SECONDS,
    v: SESSION_TOKEN_VERSION,
    [SESSION_TOKEN_MARKER.claim]: SESSION_TOKEN_MARKER.value,
    ...(claims.o ? { o: claims.o } : {}),
  };
  const input = `${b64url({ alg: "RS256", kid: key.kid, typ: "JWT" })}.${b64url(payload)}`;
  const signature = sign("sha256", Buffer.from(input), key.privateKey).toString("base64url");
  return { jwt: `${input}.${signature}`, payload };
}
