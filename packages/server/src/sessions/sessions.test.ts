import { TokenVerificationError, verifyToken } from "@foyer/backend";
import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import {
  createTestInstance,
  insertTestUser,
  signInTestUser,
  type TestInstance,
} from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../crypto/random.js";
import { startSession } from "./sessions.js";

describe.each(DB_KINDS)("sessions and session tokens (%s)", (kind) => {
  let foyer: TestFoyer;
  let t: TestInstance;
  let pem: string;
  const app = "https://app.example.com";

  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
    t = await createTestInstance(foyer, { allowedOrigins: [app] });
    pem = await t.publicKeyPem();
  });
  afterAll(() => foyer.close());

  const mint = (sid: string, cookie: string, origin?: string) =>
    foyer.request(`${t.fapiPath}/v1/client/sessions/${sid}/tokens`, {
      method: "POST",
      headers: { cookie, ...(origin ? { origin } : {}) },
    });
  const verify = (jwt: string) =>
    verifyToken(jwt, { jwtKey: pem, issuer: t.instance.frontend_api_url, now: foyer.svc.now });
  const codeOf = async (res: Response) => (await res.json()).errors[0].code;
  const row = (id: string) =>
    foyer.svc.db.kysely.selectFrom("sessions").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

  it("starts every sign-in with a new client and cookie, whatever cookie the browser had (fixation)", async () => {
    const user = await insertTestUser(foyer, t.instance);
    const planted = await signInTestUser(foyer, t.instance, user);
    // The victim signs in carrying the attacker's planted cookie: startSession never reuses it.
    const fresh = await startSession(foyer.svc, t.instance, user.id);
    expect(fresh.client.id).not.toBe(planted.clientId);
    expect(fresh.clientToken).not.toBe(planted.clientToken);
    expect(fresh.session.id).not.toBe(planted.sessionId);
    // ≥128 bits, and only its hash is stored.
    expect(Buffer.from(fresh.clientToken, "base64url").length).toBeGreaterThanOrEqual(16);
    const stored = await foyer.svc.db.kysely
      .selectFrom("clients")
      .selectAll()
      .where("id", "=", fresh.client.id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).toBe(sha256Hex(fresh.clientToken));
    expect(JSON.stringify(stored)).not.toContain(fresh.clientToken);
    // The planted client's cookie cannot mint for the new session.
    expect((await mint(fresh.session.id, planted.cookie)).status).toBe(404);
  });

  it("mints an RS256 session token with the documented claims, and touches last_active_at", async () => {
    const s = await signInTestUser(foyer, t.instance);
    foyer.advance(30_000);
    const before = foyer.svc.now();
    const res = await mint(s.sessionId, s.cookie, app);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = await res.json();
    expect(body.object).toBe("token");
    const [h] = body.jwt.split(".");
    const header = JSON.parse(Buffer.from(h, "base64url").toString());
    const keys = await (await foyer.request(`${t.fapiPath}/.well-known/jwks.json`)).json();
    expect(header).toEqual({ alg: "RS256", kid: keys.keys[0].kid, typ: "JWT" });
    const claims = await verify(body.jwt);
    expect(claims).toMatchObject({
      iss: t.instance.frontend_api_url,
      sub: s.user.id,
      sid: s.sessionId,
      azp: app,
      tkn: "session",
      v: 2,
    });
    expect(claims.exp - claims.iat).toBe(60);
    expect(claims.nbf).toBe(claims.iat);
    const touched = (await row(s.sessionId)).last_active_at;
    expect(touched).toBeGreaterThanOrEqual(before);
    expect(touched).toBeLessThanOrEqual(foyer.svc.now());
  });

  it("names azp only for allowed origins", async () => {
    const s = await signInTestUser(foyer, t.instance);
    const own = await (await mint(s.sessionId, s.cookie, new URL(t.instance.frontend_api_url).origin)).json();
    expect((await verify(own.jwt)).azp).toBe(new URL(t.instance.frontend_api_url).origin);
    const none = await (await mint(s.sessionId, s.cookie)).json();
    expect((await verify(none.jwt)).azp).toBeUndefined();
  });

  it("refuses a token at exactly exp + 5 s of skew, and accepts it a millisecond before", async () => {
    const s = await signInTestUser(foyer, t.instance);
    const { jwt } = await (await mint(s.sessionId, s.cookie)).json();
    const { exp } = await verify(jwt);
    const at = (ms: number) => verifyToken(jwt, { jwtKey: pem, now: () => ms });
    await expect(at(exp * 1000 + 4999)).resolves.toMatchObject({ sid: s.sessionId });
    await expect(at(exp * 1000 + 5000)).rejects.toMatchObject({ code: "token_expired" });
    const iat = exp - 60;
    await expect(at(iat * 1000 - 5000)).resolves.toBeTruthy();
    await expect(at(iat * 1000 - 5001)).rejects.toMatchObject({ code: "token_not_active_yet" });
  });

  it("requires the cookie's client to own the session", async () => {
    const a = await signInTestUser(foyer, t.instance);
    const b = await signInTestUser(foyer, t.instance);
    const crossed = await mint(a.sessionId, b.cookie);
    expect(crossed.status).toBe(404);
    expect(await codeOf(crossed)).toBe("session_not_found");
    const noCookie = await mint(a.sessionId, "");
    expect(noCookie.status).toBe(401);
    expect(await codeOf(noCookie)).toBe("client_not_found");
    const unknown = await mint(a.sessionId, "__client=not-a-client");
    expect(await codeOf(unknown)).toBe("client_not_found");
    expect((await mint("sess_nope", a.cookie)).status).toBe(404);
  });

  it("ends the session at its maximum lifetime and marks it expired", async () => {
    const s = await signInTestUser(foyer, t.instance);
    const r = await row(s.sessionId);
    expect(r.expire_at - r.created_at).toBe(7 * 24 * 3600 * 1000);
    // The injected clock also follows real time: keep a margin a slow request cannot eat.
    foyer.advance(r.expire_at - foyer.svc.now() - 2000);
    expect((await mint(s.sessionId, s.cookie)).status).toBe(200);
    foyer.advance(2000);
    const res = await mint(s.sessionId, s.cookie);
    expect(res.status).toBe(401);
    expect(await codeOf(res)).toBe("session_inactive");
    expect((await row(s.sessionId)).status).toBe("expired");
  });

  it("ends an idle session at the inactivity timeout; each mint keeps it alive", async () => {
    const idle = await createTestInstance(foyer, { patch: { session_inactivity_timeout_seconds: 600 } });
    const s = await signInTestUser(foyer, idle.instance);
    const mintIdle = () =>
      foyer.request(`${idle.fapiPath}/v1/client/sessions/${s.sessionId}/tokens`, {
        method: "POST",
        headers: { cookie: s.cookie },
      });
    foyer.advance(599_000);
    expect((await mintIdle()).status).toBe(200);
    foyer.advance(599_000);
    expect((await mintIdle()).status).toBe(200);
    foyer.advance(600_000);
    const res = await mintIdle();
    expect(res.status).toBe(401);
    expect(await codeOf(res)).toBe("session_inactive");
    expect((await row(s.sessionId)).status).toBe("expired");
  });

  it("mints nothing once the user is deleted", async () => {
    const s = await signInTestUser(foyer, t.instance);
    expect((await mint(s.sessionId, s.cookie)).status).toBe(200);
    await foyer.svc.db.kysely.deleteFrom("users").where("id", "=", s.user.id).execute();
    const res = await mint(s.sessionId, s.cookie);
    expect([401, 404]).toContain(res.status);
    expect(["session_inactive", "session_not_found"]).toContain(await codeOf(res));
  });

  it("never logs client cookies or session tokens, nor returns them in errors", async () => {
    const s = await signInTestUser(foyer, t.instance);
    const { jwt } = await (await mint(s.sessionId, s.cookie, app)).json();
    const refused = await (await mint("sess_missing", s.cookie)).text();
    await foyer.request(`${t.fapiPath}/v1/client`, { method: "DELETE", headers: { cookie: s.cookie } });
    const denied = await (await mint(s.sessionId, s.cookie)).text();
    const logs = foyer.logs();
    expect(logs).toContain(`${t.fapiPath}/v1/client/sessions/`);
    for (const secret of [s.clientToken, jwt, jwt.split(".")[2]!]) {
      expect(logs).not.toContain(secret);
      expect(refused + denied).not.toContain(secret);
    }
  });

  it("signs tokens with the new key after a rotation; the old token still verifies by JWKS", async () => {
    const local = await createTestInstance(foyer);
    const s = await signInTestUser(foyer, local.instance);
    const mintLocal = async () =>
      (
        await (
          await foyer.request(`${local.fapiPath}/v1/client/sessions/${s.sessionId}/tokens`, {
            method: "POST",
            headers: { cookie: s.cookie },
          })
        ).json()
      ).jwt as string;
    const before = await mintLocal();
    const rotated = await foyer.platform(`/instances/${local.instance.id}/signing_keys/rotate`, {
      method: "POST",
    });
    const { kid } = await rotated.json();
    const after = await mintLocal();
    expect(JSON.parse(Buffer.from(after.split(".")[0]!, "base64url").toString()).kid).toBe(kid);
    const jwks = await (await foyer.request(`${local.fapiPath}/.well-known/jwks.json`)).json();
    expect(jwks.keys).toHaveLength(2);
    // The PEM of the new active key refuses the old token; the old one verifies only by JWKS.
    const newPem = await local.publicKeyPem();
    await expect(verifyToken(before, { jwtKey: newPem, now: foyer.svc.now })).rejects.toBeInstanceOf(
      TokenVerificationError,
    );
    await expect(verifyToken(after, { jwtKey: newPem, now: foyer.svc.now })).resolves.toBeTruthy();
  });
});
