import { type LocalIssuer, startLocalIssuer } from "@foyer/testkit/local-issuer";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { McpAuthError, type McpAuthFailure } from "./errors.js";
import { createAccessTokenVerifier } from "./verify-access-token.js";

const RESOURCE = "http://127.0.0.1:3005/mcp";

async function reasonOf(p: Promise<unknown>): Promise<McpAuthFailure> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(McpAuthError);
  return (err as McpAuthError).reason;
}

describe.each(["RS256", "ES256"] as const)("createAccessTokenVerifier (%s)", (alg) => {
  let as: LocalIssuer;
  let other: LocalIssuer;
  beforeAll(async () => {
    as = await startLocalIssuer({ alg });
    other = await startLocalIssuer({ alg, path: "/fapi/ins_other" });
  });
  afterAll(async () => {
    await as.close();
    await other.close();
  });

  it("accepts a token for this resource and returns the SDK's AuthInfo shape", async () => {
    const verifier = createAccessTokenVerifier({ issuer: as.issuer, resource: RESOURCE });
    const token = await as.sign({ aud: RESOURCE, scope: "jira:read confluence:read", sub: "user_1" });
    const auth = await verifier.verifyAccessToken(token);
    expect(auth).toMatchObject({
      token,
      clientId: "https://client.example/meta.json",
      scopes: ["jira:read", "confluence:read"],
      extra: { userId: "user_1", issuer: as.issuer },
    });
    expect(auth.resource.href).toBe(RESOURCE);
    expect(auth.expiresAt).toBeGreaterThan(Date.now() / 1000);
  });

  it("fetches the AS metadata and JWKS once, not per request", async () => {
    const before = { ...as.hits };
    const verifier = createAccessTokenVerifier({ issuer: as.issuer, resource: RESOURCE });
    for (let i = 0; i < 5; i++) await verifier.verifyAccessToken(await as.sign({ aud: RESOURCE }));
    expect(as.hits.metadata - before.metadata).toBe(1);
    expect(as.hits.jwks - before.jwks).toBe(1);
  });

  it("refuses a token from another issuer, even one whose keys it could fetch", async () => {
    const verifier = createAccessTokenVerifier({ issuer: as.issuer, resource: RESOURCE });
    // Signed by the other issuer's key, claiming our issuer: the signature fails.
    expect(
      await reasonOf(verifier.verifyAccessToken(await other.sign({ aud: RESOURCE, iss: as.issuer }))),
    ).toBe("bad_signature");
    // Verified with the other issuer's keys but naming it: the issuer check fails.
    const mixed = createAccessTokenVerifier({ issuer: as.issuer, resource: RESOURCE, jwks: other.jwks });
    expect(await reasonOf(mixed.verifyAccessToken(await other.sign({ aud: RESOURCE })))).toBe("wrong_issuer");
  });

  it("refuses a token for another resource (audience)", async () => {
    const verifier = createAccessTokenVerifier({ issuer: as.issuer, resource: RESOURCE, jwks: as.jwks });
    expect(
      await reasonOf(verifier.verifyAccessToken(await as.sign({ aud: "http://127.0.0.1:9999/mcp" }))),
    ).toBe("wrong_audience");
    expect(await reasonOf(verifier.verifyAccessToken(await as.sign({ aud: `${RESOURCE}/other` })))).toBe(
      "wrong_audience",
    );
    expect(await reasonOf(verifier.verifyAccessToken(await as.sign({})))).toBe("wrong_audience");
  });

  it("refuses a token whose typ is JWT (a session or ID token), not at+jwt", async () => {
    const verifier = createAccessTokenVerifier({ issuer: as.issuer, resource: RESOURCE, jwks: as.jwks });
    expect(await reasonOf(verifier.verifyAccessToken(await as.sign({ aud: RESOURCE }, { typ: "JWT" })))).toBe(
      "wrong_type",
    );
  });

  it("refuses an expired token (beyond the clock tolerance)", async () => {
    const verifier = createAccessTokenVerifier({ issuer: as.issuer, resource: RESOURCE, jwks: as.jwks });
    const now = Math.floor(Date.now() / 1000);
    const token = await as.sign({ aud: RESOURCE, iat: now - 600, exp: now - 60 });
    expect(await reasonOf(verifier.verifyAccessToken(token))).toBe("expired");
  });

  it("refuses a token without client_id or jti", async () => {
    const verifier = createAccessTokenVerifier({ issuer: as.issuer, resource: RESOURCE, jwks: as.jwks });
    expect(
      await reasonOf(verifier.verifyAccessToken(await as.sign({ aud: RESOURCE, client_id: undefined }))),
    ).toBe("missing_claim");
    expect(await reasonOf(verifier.verifyAccessToken(await as.sign({ aud: RESOURCE, jti: undefined })))).toBe(
      "missing_claim",
    );
  });

  it("answers insufficient_scope (403) with every scope needed", async () => {
    const verifier = createAccessTokenVerifier({
      issuer: as.issuer,
      resource: RESOURCE,
      jwks: as.jwks,
      requiredScopes: ["mcp:use"],
    });
    const token = await as.sign({ aud: RESOURCE, scope: "mcp:use" });
    await expect(verifier.verifyAccessToken(token)).resolves.toBeTruthy();
    const err = await verifier.verifyAccessToken(token, ["jira:read"]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(McpAuthError);
    expect(err).toMatchObject({
      code: "insufficient_scope",
      status: 403,
      requiredScopes: ["mcp:use", "jira:read"],
    });
  });

  it("refuses a token signed with an algorithm Foyer does not use (HS256 with the public key trick)", async () => {
    const verifier = createAccessTokenVerifier({ issuer: as.issuer, resource: RESOURCE, jwks: as.jwks });
    const hs = await new SignJWT({ iss: as.issuer, aud: RESOURCE, sub: "u", client_id: "c", jti: "j" })
      .setProtectedHeader({ alg: "HS256", typ: "at+jwt", kid: as.jwks.keys[0]!.kid! })
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode(JSON.stringify(as.jwks.keys[0])));
    expect(await reasonOf(verifier.verifyAccessToken(hs))).toBe("malformed_token");
  });

  it("refuses a tampered payload, an unknown kid, alg none and a header that brings its own key", async () => {
    const verifier = createAccessTokenVerifier({ issuer: as.issuer, resource: RESOURCE, jwks: as.jwks });
    const good = await as.sign({ aud: RESOURCE, scope: "jira:read" });
    const [h, p, sig] = good.split(".") as [string, string, string];
    const widened = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(p, "base64url").toString()),
        scope: "jira:read jira:write",
      }),
    ).toString("base64url");
    expect(await reasonOf(verifier.verifyAccessToken(`${h}.${widened}.${sig}`))).toBe("bad_signature");
    expect(
      await reasonOf(verifier.verifyAccessToken(await as.sign({ aud: RESOURCE }, { kid: "k_other" }))),
    ).toBe("bad_signature");
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const none = `${b64({ alg: "none", typ: "at+jwt" })}.${p}.`;
    expect(await reasonOf(verifier.verifyAccessToken(none))).toBe("malformed_token");
    const header = JSON.parse(Buffer.from(h, "base64url").toString());
    const withJwk = `${b64({ ...header, jwk: as.jwks.keys[0] })}.${p}.${sig}`;
    expect(await reasonOf(verifier.verifyAccessToken(withJwk))).toBe("malformed_token");
  });

  it("accepts typ application/at+jwt (RFC 9068 §4) and refuses a token not valid yet", async () => {
    const verifier = createAccessTokenVerifier({ issuer: as.issuer, resource: RESOURCE, jwks: as.jwks });
    await expect(
      verifier.verifyAccessToken(await as.sign({ aud: RESOURCE }, { typ: "application/AT+JWT" })),
    ).resolves.toBeTruthy();
    const later = Math.floor(Date.now() / 1000) + 600;
    expect(await reasonOf(verifier.verifyAccessToken(await as.sign({ aud: RESOURCE, nbf: later })))).toBe(
      "not_yet_valid",
    );
  });

  it("says the keys are unavailable (503), not the token refused, when the AS cannot be reached", async () => {
    const verifier = createAccessTokenVerifier({
      issuer: "http://127.0.0.1:1/fapi/ins_x",
      resource: RESOURCE,
    });
    const err = await verifier.verifyAccessToken(await as.sign({ aud: RESOURCE })).catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: "keys_unavailable", status: 503 });
  });
});
