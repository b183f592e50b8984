import { TokenVerificationError } from "./errors.js";

/**
 * Splitting a compact JWS (RFC 7515 §7.1) and checking its header, before any key is touched.
 * The algorithm is pinned (RS256 is the only one Foyer instances sign with), so `none` and
 * HS256-with-the-public-key-as-secret (RFC 8725 §2.1, §3.1) never reach a verifier.
 */
export interface DecodedJws {
  header: JwsHeader;
  /** base64url of the payload; parsed only after the signature is checked. */
  payloadPart: string;
  /** The exact bytes that were signed: "<header>.<payload>". */
  signingInput: string;
  signature: Buffer;
}

export interface JwsHeader {
  alg: "RS256";
  kid?: string;
  typ?: string;
}

/** Long enough for any session token; a bound so hostile input costs nothing. */
const MAX_TOKEN_LENGTH = 8192;
const B64URL = /^[A-Za-z0-9_-]*$/;
/** Header members that bring their own key or key location: trusting one lets the token pick its key. */
const KEY_BEARING = ["jku", "jwk", "x5u", "x5c"] as const;

function malformed(message: string): TokenVerificationError {
  return new TokenVerificationError("token_malformed", message);
}

export function parseJson(part: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  } catch {
    throw malformed(`The token's ${what} is not base64url-encoded JSON.`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw malformed(`The token's ${what} is not a JSON object.`);
  }
  return value as Record<string, unknown>;
}

export function decodeJws(token: unknown): DecodedJws {
  if (typeof token !== "string" || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
    throw malformed("The token is missing or too long.");
  }
  const parts = token.split(".");
  if (parts.length !== 3 || !parts.every((p) => B64URL.test(p))) {
    throw malformed("The token is not a compact JWS (three base64url parts).");
  }
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = parseJson(headerPart, "header");
  if (header.alg !== "RS256") {
    throw new TokenVerificationError(
      "token_invalid_algorithm",
      `The token's algorithm ${JSON.stringify(header.alg)} is not RS256.`,
    );
  }
  for (const member of KEY_BEARING) {
    if (member in header) {
      throw new TokenVerificationError(
        "token_header_key_refused",
        `The token's header carries "${member}"; keys are never taken from a token.`,
      );
    }
  }
  if ("crit" in header)
    throw malformed('The token\'s header has "crit" extensions this verifier does not know.');
  if (header.typ !== undefined && header.typ !== "JWT") {
    throw new TokenVerificationError(
      "token_not_a_session_token",
      `The token's type is ${String(header.typ)}.`,
    );
  }
  if (header.kid !== undefined && typeof header.kid !== "string")
    throw malformed("The token's kid is not a string.");
  if (signaturePart.length === 0)
    throw new TokenVerificationError("token_invalid_signature", "The token is unsigned.");
  return {
    header: header as unknown as JwsHeader,
    payloadPart,
    signingInput: `${headerPart}.${payloadPart}`,
    signature: Buffer.from(signaturePart, "base64url"),
  };
}
