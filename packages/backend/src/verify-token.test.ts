import { createHmac, generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { verifyToken as clerkVerifyToken } from "@clerk/backend";
import { type TokenErrorCode, TokenVerificationError, verifyToken } from "@foyer/backend";
import {
  appFetch,
  createTestFoyer,
  createTestInstance,
  DB_KINDS,
  instanceSigningKey,
  mintFor,
  type TestFoyer,
  type TestInstance,
} from "@foyer/testkit/backend-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

function rs256(header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject): string {
  const input = `${b64({ alg: "RS256", ...header })}.${b64(payload)}`;
  return `${input}.${sign("sha256", Buffer.from(input), key).toString("base64url")}`;
}

async function codeOf(p: Promise<unknown>): Promise<TokenErrorCode> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TokenVerificationError);
  return (err as TokenVerificationError).code;
}

describe.each(DB_KINDS)("verifyToken (%s)", (kind) => {
  let foyer: TestFoyer;
  let a: TestInstance;
  let b: TestInstance;
  let pemA: string;
  let pemB: string;
  const app = "https://app.example.com";

  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
    a = await createTestInstance(foyer, { allowedOrigins: [app, "https://other.example.com"] });
    b = await createTestInstance(foyer);
    pemA = await a.publicKeyPem();
    pemB = await b.publicKeyPem();
  });
  afterAll(() => foyer.close());

  const now = () => foyer.svc.now();

  /** Valid claims for instance A, to be spoilt one at a time. */
  const claims = (over: Record<string, unknown> = {}) => {
    const iat = Math.floor(now() / 1000);
    return {
      iss: a.instance.frontend_api_url,
      sub: "user_1",
      sid: "sess_1",
      iat,
      nbf: iat,
      exp: iat + 60,
      v: 2,
      tkn: "session",
      ...over,
    };
  };

  it("verifies a minted token networklessly with the PEM key", async () => {
    const t = await mintFor(foyer, a, { origin: app });
    const c = await verifyToken(t.jwt, { jwtKey: pemA, authorizedParties: [app], now });
    expect(c).toMatchObject({ sub: t.userId, sid: t.sessionId, azp: app, iss: a.instance.frontend_api_url });
  });

  it("verifies with the Frontend API JWKS (URL or publishable key) and the Backend API JWKS", async () => {
    const t = await mintFor(foyer, a);
    const fetch = appFetch(foyer);
    await expect(verifyToken(t.jwt, { publishableKey: a.publishableKey, fetch, now })).resolves.toMatchObject(
      {
        sid: t.sessionId,
      },
    );
    await expect(
      verifyToken(t.jwt, { frontendApiUrl: a.instance.frontend_api_url, fetch, now }),
    ).resolves.toBeTruthy();
    await expect(
      verifyToken(t.jwt, { secretKey: a.secretKey, apiUrl: foyer.svc.config.publicUrl, fetch, now }),
    ).resolves.toBeTruthy();
  });

  it("refuses instance A's tokens with instance B's key, JWKS, publishable key and secret key", async () => {
    const t = await mintFor(foyer, a);
    const fetch = appFetch(foyer);
    expect(await codeOf(verifyToken(t.jwt, { jwtKey: pemB, now }))).toBe("token_invalid_signature");
    expect(await codeOf(verifyToken(t.jwt, { publishableKey: b.publishableKey, fetch, now }))).toBe(
      "token_unknown_kid",
    );
    expect(
      await codeOf(
        verifyToken(t.jwt, { secretKey: b.secretKey, apiUrl: foyer.svc.config.publicUrl, fetch, now }),
      ),
    ).toBe("token_unknown_kid");
    // B's key with A's issuer pinned: still the signature that fails first.
    expect(await codeOf(verifyToken(t.jwt, { jwtKey: pemB, issuer: b.instance.frontend_api_url, now }))).toBe(
      "token_invalid_signature",
    );
  });

  it('refuses alg "none" and HS256 keyed with the public key', async () => {
    const none = `${b64({ alg: "none", typ: "JWT" })}.${b64(claims())}.`;
    expect(await codeOf(verifyToken(none, { jwtKey: pemA, now }))).toBe("token_invalid_algorithm");
    const input = `${b64({ alg: "HS256", typ: "JWT" })}.${b64(claims())}`;
    const hs = `${input}.${createHmac("sha256", pemA).update(input).digest("base64url")}`;
    expect(await codeOf(verifyToken(hs, { jwtKey: pemA, now }))).toBe("token_invalid_algorithm");
    expect(
      await codeOf(verifyToken(hs, { publishableKey: a.publishableKey, fetch: appFetch(foyer), now })),
    ).toBe("token_invalid_algorithm");
  });

  it("refuses keys and key URLs carried in the header (jku, jwk, x5u, x5c) and foreign kids", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const jwk = { ...publicKey.export({ format: "jwk" }), kid: "attacker" };
    const fetch = appFetch(foyer);
    for (const extra of [
      { jwk },
      { jku: "https://evil.test/jwks.json" },
      { x5u: "https://evil.test/cert.pem" },
      { x5c: ["MIIB"] },
    ]) {
      const forged = rs256({ kid: "attacker", ...extra }, claims(), privateKey);
      expect(await codeOf(verifyToken(forged, { publishableKey: a.publishableKey, fetch, now }))).toBe(
        "token_header_key_refused",
      );
    }
    const foreign = rs256({ kid: "ins_key_foreign", typ: "JWT" }, claims(), privateKey);
    expect(await codeOf(verifyToken(foreign, { publishableKey: a.publishableKey, fetch, now }))).toBe(
      "token_unknown_kid",
    );
    expect(await codeOf(verifyToken(foreign, { jwtKey: pemA, now }))).toBe("token_invalid_signature");
    // The real kid with the attacker's signature.
    const realKid = JSON.parse(
      Buffer.from((await mintFor(foyer, a)).jwt.split(".")[0]!, "base64url").toString(),
    ).kid;
    const stolenKid = rs256({ kid: realKid, typ: "JWT" }, claims(), privateKey);
    expect(await codeOf(verifyToken(stolenKid, { publishableKey: a.publishableKey, fetch, now }))).toBe(
      "token_invalid_signature",
    );
  });

  it("checks iss, azp, the session-token marker and the claims, on validly signed tokens", async () => {
    const key = await instanceSigningKey(foyer, a);
    const forge = (over: Record<string, unknown>, header: Record<string, unknown> = {}) =>
      rs256({ kid: key.kid, typ: "JWT", ...header }, claims(over), key.privateKey);
    const opts = { jwtKey: pemA, issuer: a.instance.frontend_api_url, now };
    await expect(verifyToken(forge({}), opts)).resolves.toBeTruthy();
    expect(await codeOf(verifyToken(forge({ iss: b.instance.frontend_api_url }), opts))).toBe(
      "token_invalid_issuer",
    );
    // With a publishable key, the issuer is the key's Frontend API without being told.
    expect(
      await codeOf(
        verifyToken(forge({ iss: "https://evil.test" }), {
          publishableKey: a.publishableKey,
          fetch: appFetch(foyer),
          now,
        }),
      ),
    ).toBe("token_invalid_issuer");
    expect(
      await codeOf(verifyToken(forge({ azp: "https://evil.test" }), { ...opts, authorizedParties: [app] })),
    ).toBe("token_invalid_authorized_party");
    await expect(
      verifyToken(forge({ azp: app }), { ...opts, authorizedParties: [app] }),
    ).resolves.toBeTruthy();
    // A token minted with no allowed Origin names no azp: not for an app that names its origins.
    expect(await codeOf(verifyToken(forge({}), { ...opts, authorizedParties: [app] }))).toBe(
      "token_invalid_authorized_party",
    );
    await expect(verifyToken(forge({}), { ...opts, authorizedParties: [] })).resolves.toBeTruthy();
    expect(await codeOf(verifyToken(forge({ tkn: undefined }), opts))).toBe("token_not_a_session_token");
    expect(await codeOf(verifyToken(forge({ tkn: "refresh" }), opts))).toBe("token_not_a_session_token");
    expect(await codeOf(verifyToken(forge({}, { typ: "at+jwt" }), opts))).toBe("token_not_a_session_token");
    expect(await codeOf(verifyToken(forge({ sid: undefined }), opts))).toBe("token_invalid_claims");
    expect(await codeOf(verifyToken(forge({ exp: "soon" }), opts))).toBe("token_invalid_claims");
    expect(await codeOf(verifyToken(forge({}, { crit: ["b64"] }), opts))).toBe("token_malformed");
  });

  it("applies the 5 s skew at exactly the boundary, and a configured skew", async () => {
    const { jwt } = await mintFor(foyer, a);
    const { exp, iat } = await verifyToken(jwt, { jwtKey: pemA, now });
    const at = (ms: number, skew?: number) =>
      verifyToken(jwt, {
        jwtKey: pemA,
        now: () => ms,
        ...(skew !== undefined ? { clockSkewInMs: skew } : {}),
      });
    await expect(at(exp * 1000 + 4999)).resolves.toBeTruthy();
    expect(await codeOf(at(exp * 1000 + 5000))).toBe("token_expired");
    expect(await codeOf(at(exp * 1000, 0))).toBe("token_expired");
    await expect(at(exp * 1000 - 1, 0)).resolves.toBeTruthy();
    await expect(at(iat * 1000 - 5000)).resolves.toBeTruthy();
    expect(await codeOf(at(iat * 1000 - 5001))).toBe("token_not_active_yet");
  });

  it("refuses garbage with token_malformed and names misconfiguration", async () => {
    for (const junk of ["", "a.b", "a.b.c.d", "!!.??.##", `${b64([1])}.${b64({})}.x`, "x".repeat(9000)]) {
      expect(await codeOf(verifyToken(junk, { jwtKey: pemA, now }))).toBe("token_malformed");
    }
    const { jwt } = await mintFor(foyer, a);
    expect(await codeOf(verifyToken(jwt, {}))).toBe("verifier_misconfigured");
    expect(await codeOf(verifyToken(jwt, { jwtKey: "not a pem" }))).toBe("verifier_misconfigured");
    expect(await codeOf(verifyToken(jwt, { publishableKey: "pk_test_nope" }))).toBe("verifier_misconfigured");
  });

  it("verifies a Foyer session token with @clerk/backend's verifyToken and the instance's PEM", async () => {
    const t = await mintFor(foyer, a, { origin: app });
    const c = await clerkVerifyToken(t.jwt, { jwtKey: pemA, authorizedParties: [app] });
    expect(c).toMatchObject({ sub: t.userId, sid: t.sessionId, iss: a.instance.frontend_api_url });
    await expect(clerkVerifyToken(t.jwt, { jwtKey: pemB })).rejects.toBeTruthy();
  });

  it("refuses a token without azp when authorizedParties are set, as @clerk/backend does", async () => {
    // Minted with no Origin (a script, a server): the token carries no azp at all.
    const bare = await mintFor(foyer, a);
    const decoded = JSON.parse(Buffer.from(bare.jwt.split(".")[1]!, "base64url").toString());
    expect(decoded.azp).toBeUndefined();
    expect(await codeOf(verifyToken(bare.jwt, { jwtKey: pemA, authorizedParties: [app], now }))).toBe(
      "token_invalid_authorized_party",
    );
    // Clerk's verifyToken refuses it the same way (token-invalid-authorized-parties).
    await expect(
      clerkVerifyToken(bare.jwt, { jwtKey: pemA, authorizedParties: [app] }),
    ).rejects.toMatchObject({
      reason: "token-invalid-authorized-parties",
    });
    // Neither checks azp when no authorized parties are configured.
    await expect(verifyToken(bare.jwt, { jwtKey: pemA, now })).resolves.toBeTruthy();
    await expect(clerkVerifyToken(bare.jwt, { jwtKey: pemA })).resolves.toBeTruthy();
    await expect(verifyToken(bare.jwt, { jwtKey: pemA, authorizedParties: [], now })).resolves.toBeTruthy();
  });
});
