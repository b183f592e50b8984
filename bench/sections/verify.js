/**
 * 1. Token verification, single thread, one RS256 session token (signed the way Foyer signs
 * them): Foyer's verifyToken with a cached key, raw node:crypto (the limit), jose's jwtVerify
 * with a local JWKS, and @clerk/backend's verifyToken with jwtKey. And an MCP server's check of
 * an OAuth access token (RFC 9068 at+jwt): @foyer/mcp's verifier with the AS keys in memory,
 * against raw node:crypto on that same token. Short rounds alternate between
 * the verifiers, and each figure is its best round: on a shared, noisy machine the best round is
 * the one least disturbed by neighbours, for every verifier alike (the median is kept too).
 */
import { generateKeyPairSync, verify } from "node:crypto";
import { verifyToken as clerkVerifyToken } from "@clerk/backend";
import { verifyToken as foyerVerifyToken } from "@foyer/backend";
import { createAccessTokenVerifier } from "@foyer/mcp";
import { createLocalJWKSet, jwtVerify, SignJWT } from "jose";
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
  const jwk = { ...publicKey.export({ format: "jwk" }), kid, alg: "RS256" };
  const jwks = createLocalJWKSet({ keys: [jwk] });
  const resource = "http://127.0.0.1:3003/mcp";
  const accessToken = await new SignJWT({
    sub: "user_bench",
    client_id: "https://client.example/metadata.json",
    scope: "jira:read confluence:read",
    jti: "at_bench",
  })
    .setProtectedHeader({ alg: "RS256", kid, typ: "at+jwt" })
    .setIssuer(iss)
    .setAudience(resource)
    .setIssuedAt()
    .setExpirationTime("1h")
    .sign(privateKey);
  const mcpVerifier = createAccessTokenVerifier({ issuer: iss, resource, jwks: { keys: [jwk] } });
  const rawVerify = (token) => {
    const dot = token.lastIndexOf(".");
    const ok = verify(
      "sha256",
      Buffer.from(token.slice(0, dot)),
      publicKey,
      Buffer.from(token.slice(dot + 1), "base64url"),
    );
    if (!ok) throw new Error("raw verify failed");
  };

  const verifiers = {
    raw: () => rawVerify(jwt),
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
    raw_mcp: () => rawVerify(accessToken),
    mcp: async () => {
      await mcpVerifier.verifyAccessToken(accessToken, ["jira:read"]);
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
