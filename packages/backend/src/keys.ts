import { createHash, createPublicKey, type KeyObject } from "node:crypto";
import { TokenVerificationError } from "./errors.js";

/**
 * Where verification keys come from, and the caches that make verification cost one RSA
 * operation: parsed KeyObjects are kept, per PEM and per JWKS URL, for the life of the process.
 */

function requireRsa(key: KeyObject, where: string): KeyObject {
  if (key.type !== "public" || key.asymmetricKeyType !== "rsa") {
    throw new TokenVerificationError("verifier_misconfigured", `${where} is not an RSA public key.`);
  }
  return key;
}

const pemCache = new Map<string, KeyObject>();

/** The parsed PEM public key (cached: parsing costs more than a verification). */
export function pemPublicKey(pem: string): KeyObject {
  let key = pemCache.get(pem);
  if (!key) {
    try {
      key = requireRsa(createPublicKey(pem), "jwtKey");
    } catch (err) {
      if (err instanceof TokenVerificationError) throw err;
      throw new TokenVerificationError("verifier_misconfigured", "jwtKey is not a PEM public key.", {
        cause: err,
      });
    }
    if (pemCache.size > 100) pemCache.clear();
    pemCache.set(pem, key);
  }
  return key;
}

export interface JwksLocation {
  url: string;
  /** Sent as a Bearer token (Backend API JWKS); the Frontend API's JWKS is public. */
  secretKey?: string;
  fetch?: typeof fetch;
  /** The clock of the cache's ages and the refetch rate limit (ms); defaults to Date.now. */
  now?: () => number;
}

/** A JWKS is refetched at least this often, so keys past their grace period stop verifying. */
export const JWKS_MAX_AGE_MS = 10 * 60 * 1000;
/** At most one refetch per this interval for unknown kids, whatever an attacker sends. */
export const JWKS_REFETCH_INTERVAL_MS = 1000;
const FETCH_TIMEOUT_MS = 5000;

interface JwksEntry {
  keys: Map<string, KeyObject>;
  fetchedAt: number;
  lastAttemptAt: number;
  inflight: Promise<void> | undefined;
  /** Kids that already caused a refetch and were still unknown: never refetched for again. */
  triedKids: Set<string>;
}

const jwksCache = new Map<string, JwksEntry>();

function cacheKey(loc: JwksLocation): string {
  const who = loc.secretKey ? createHash("sha256").update(loc.secretKey).digest("base64url") : "";
  return `${loc.url}\n${who}`;
}

function importJwks(body: unknown): Map<string, KeyObject> {
  const list = (body as { keys?: unknown })?.keys;
  if (!Array.isArray(list)) throw new Error("the response is not a JWKS");
  const keys = new Map<string, KeyObject>();
  for (const jwk of list as Array<Record<string, unknown>>) {
    // Only RSA signing keys for RS256: the algorithm is pinned by the key, not the token.
    if (jwk.kty !== "RSA" || typeof jwk.kid !== "string") continue;
    if (jwk.alg !== undefined && jwk.alg !== "RS256") continue;
    if (jwk.use !== undefined && jwk.use !== "sig") continue;
    const key = createPublicKey({ key: { kty: "RSA", n: jwk.n, e: jwk.e } as never, format: "jwk" });
    keys.set(jwk.kid, requireRsa(key, `JWKS key ${jwk.kid}`));
  }
  return keys;
}

async function refresh(loc: JwksLocation, entry: JwksEntry): Promise<void> {
  entry.inflight ??= (async () => {
    entry.lastAttemptAt = (loc.now ?? Date.now)();
    try {
      const res = await (loc.fetch ?? fetch)(loc.url, {
        headers: {
          accept: "application/json",
          ...(loc.secretKey ? { authorization: `Bearer ${loc.secretKey}` } : {}),
        },
        redirect: "error",
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      entry.keys = importJwks(await res.json());
      entry.fetchedAt = (loc.now ?? Date.now)();
    } finally {
      entry.inflight = undefined;
    }
  })();
  return entry.inflight;
}

/**
 * The key for `kid` from a JWKS, fetched once and cached. An unknown kid (a rotation this process
 * has not seen) triggers one refetch for that kid, rate-limited across all kids; a kid still
 * unknown afterwards is refused without further network calls.
 */
export async function jwksKey(loc: JwksLocation, kid: string | undefined): Promise<KeyObject> {
  if (kid === undefined) throw new TokenVerificationError("token_unknown_kid", "The token names no kid.");
  const id = cacheKey(loc);
  let entry = jwksCache.get(id);
  if (!entry) {
    entry = { keys: new Map(), fetchedAt: 0, lastAttemptAt: 0, inflight: undefined, triedKids: new Set() };
    jwksCache.set(id, entry);
  }
  const now = (loc.now ?? Date.now)();
  const stale = now - entry.fetchedAt > JWKS_MAX_AGE_MS;
  const unknown = !entry.keys.has(kid) && !entry.triedKids.has(kid);
  const mayRefetch = now - entry.lastAttemptAt >= JWKS_REFETCH_INTERVAL_MS;
  if (entry.inflight || ((stale || unknown) && mayRefetch)) {
    try {
      await refresh(loc, entry);
    } catch (err) {
      // A stale JWKS still beats none: keep verifying with it while the endpoint is down.
      if (entry.fetchedAt === 0) {
        throw new TokenVerificationError("jwks_unavailable", `The JWKS at ${loc.url} could not be fetched.`, {
          cause: err,
        });
      }
    }
    if (!entry.keys.has(kid)) {
      if (entry.triedKids.size >= 1000) entry.triedKids.clear();
      entry.triedKids.add(kid);
    }
  } else if (entry.fetchedAt === 0) {
    throw new TokenVerificationError("jwks_unavailable", `The JWKS at ${loc.url} failed moments ago.`);
  }
  const key = entry.keys.get(kid);
  if (!key) throw new TokenVerificationError("token_unknown_kid", `No published key has kid ${kid}.`);
  return key;
}
