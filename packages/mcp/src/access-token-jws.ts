/**
 * The signature half of an access token check, with node:crypto on a cached KeyObject: one
 * public-key operation per token, no WebCrypto round trip (jose's `jwtVerify` costs about four
 * times a bare verification; `npm run bench` shows the ratio). jose still finds the key.
 */
import { KeyObject, verify } from "node:crypto";
import { McpAuthError } from "./errors.js";

/** RFC 9068 §2.1 says RS256 at least; Foyer's authorization server signs with RS256 or ES256. */
export const ALGORITHMS = ["RS256", "ES256"] as const;
export type AccessTokenAlg = (typeof ALGORITHMS)[number];

export interface DecodedAccessToken {
  header: { alg: AccessTokenAlg; kid?: string; typ: string };
  headerPart: string;
  payloadPart: string;
  signingInput: string;
  signature: Buffer;
}

/** Far above any access token Foyer issues; a bound so hostile input costs nothing. */
const MAX_TOKEN_LENGTH = 8192;
const B64URL = /^[A-Za-z0-9_-]+$/;
/** Header members that bring their own key or key location: a token never picks its key. */
const KEY_BEARING = ["jku", "jwk", "x5u", "x5c"];

const malformed = (message: string) => new McpAuthError("malformed_token", message);

export function jsonPart(part: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  } catch {
    throw malformed(`The access token's ${what} is not base64url JSON.`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw malformed(`The access token's ${what} is not a JSON object.`);
  }
  return value as Record<string, unknown>;
}

/**
 * Splits a compact JWS and checks its header before any key is looked up: the algorithm pinned
 * (so `none` and HS256-with-the-public-key never reach a verifier, RFC 8725 §3.1), `typ` at+jwt
 * (RFC 9068 §4: a session or ID token is not an access token), no key-bearing members, no `crit`.
 */
export function decodeAccessToken(token: string): DecodedAccessToken {
  if (token.length > MAX_TOKEN_LENGTH) throw malformed("The access token is too long.");
  const parts = token.split(".");
  if (parts.length !== 3 || !parts.every((p) => B64URL.test(p))) {
    throw malformed("The access token is not a compact JWS (three base64url parts).");
  }
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = jsonPart(headerPart, "header");
  if (!ALGORITHMS.includes(header.alg as AccessTokenAlg)) {
    throw malformed(`The access token's algorithm ${JSON.stringify(header.alg)} is not RS256 or ES256.`);
  }
  if (KEY_BEARING.some((m) => m in header) || "crit" in header) {
    throw malformed("The access token's header carries a key, a key location or crit extensions.");
  }
  // RFC 9068 §4 and RFC 8725 §3.11: compared without "application/", case-insensitively.
  const typ = typeof header.typ === "string" ? header.typ.toLowerCase().replace(/^application\//, "") : "";
  if (typ !== "at+jwt")
    throw new McpAuthError("wrong_type", "The token is not an OAuth access token (typ at+jwt).");
  if (header.kid !== undefined && typeof header.kid !== "string")
    throw malformed("The access token's kid is not a string.");
  return {
    header: header as DecodedAccessToken["header"],
    headerPart,
    payloadPart,
    signingInput: `${headerPart}.${payloadPart}`,
    signature: Buffer.from(signaturePart, "base64url"),
  };
}

const keyObjects = new WeakMap<object, KeyObject>();

/** jose hands out WebCrypto keys (or KeyObjects); node:crypto wants KeyObjects, converted once. */
export function asKeyObject(key: unknown): KeyObject {
  if (key instanceof KeyObject) return key;
  if (typeof key !== "object" || key === null) throw new TypeError("not a public key");
  let converted = keyObjects.get(key);
  if (!converted) {
    converted = KeyObject.from(key as CryptoKey);
    keyObjects.set(key, converted);
  }
  return converted;
}

/** The signature check itself: RS256 is PKCS#1 v1.5 SHA-256, ES256 P-256 with a raw r||s signature. */
export function signatureValid(decoded: DecodedAccessToken, key: KeyObject): boolean {
  const data = Buffer.from(decoded.signingInput);
  if (decoded.header.alg === "RS256") {
    return key.asymmetricKeyType === "rsa" && verify("sha256", data, key, decoded.signature);
  }
  return (
    key.asymmetricKeyType === "ec" &&
    decoded.signature.length === 64 &&
    verify("sha256", data, { key, dsaEncoding: "ieee-p1363" }, decoded.signature)
  );
}
