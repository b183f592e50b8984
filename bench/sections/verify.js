/**
 * 1. Token verification, single thread, one RS256 session token (signed the way Foyer signs
 * them): Foyer's verifyToken with a cached key, raw node:crypto (the limit), jose's jwtVerify
 * with a local JWKS, and @clerk/backend's verifyToken with jwtKey. Short rounds alternate between
 * the verifiers, and each figure is its best round: on a shared, noisy machine the best round is
 * the one least disturbed by neighbours, for every verifier alike (the median is kept too).
 */
import { generateKeyPairSync, verify } from "node:crypto";
import { verifyToken as clerkVerifyToken } from "@clerk/backend";
import { verifyToken as foyerVerifyToken } from "@foyer/backend";
import { createLocalJWKSet, jwtVerify } from "jose";
import { signSessionJwt } from "../../packages/server/dist/sessions/session-jwt.js";
import { median } from "../lib/util.js";

/** Calls `fn` back to back for `ms`, in batches (so the clock is not read per call); returns ops/s. */
async function rate(fn, ms) {
  let n = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 50; i++) await fn();
    n += 50;
    elapsed = performance.now() - started;
  }
  return (n * 1000) / elapsed;
}

export async function benchVerify({ roundMs, rounds }) {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = "ins_key_bench";
  const iss = "http://127.0.0.1:3000/fapi/ins_bench";
  const { jwt } = signSessionJwt(
    { kid, privateKey },
    { iss, sub: "user_bench", sid: "sess_bench", azp: undefined },
    Date.now(),
  );
  const pem = publicKey.export({ format: "pem", type: "spki" }).toString();
  const jwks = createLocalJWKSet({ keys: [{ ...publicKey.export({ format: "jwk" }), kid, alg: "RS256" }] });

  const verifiers = {
    raw: () => {
      const dot = jwt.lastIndexOf(".");
      const ok = verify(
        "sha256",
        Buffer.from(jwt.slice(0, dot)),
        publicKey,
        Buffer.from(jwt.slice(dot + 1), "base64url"),
      );
      if (!ok) throw new Error("raw verify failed");
    },
    foyer: async () => {
      await foyerVerifyToken(jwt, { jwtKey: pem, issuer: iss });
    },
    jose: async () => {
      await jwtVerify(jwt, jwks, { issuer: iss, algorithms: ["RS256"] });
    },
    clerk: async () => {
      const result = await clerkVerifyToken(jwt, { jwtKey: pem });
      if (result.errors) throw result.errors[0];
    },
  };
  // Every verifier must accept the token before anything is timed.
  for (const fn of Object.values(verifiers)) await fn();

  // One discarded round each: JIT and the libraries' own caches (key imports) warm up first.
  for (const fn of Object.values(verifiers)) await rate(fn, roundMs);
  const samples = Object.fromEntries(Object.keys(verifiers).map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(verifiers)) samples[name].push(await rate(fn, roundMs));
  }
  const ops = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, Math.max(...v)]));
  const medians = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
  return { ops, medians, samples, token_bytes: jwt.length };
}
