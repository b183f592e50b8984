import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { createTestInstance, signInTestUser, type TestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cookieOptions } from "./client-cookie.js";

describe.each(DB_KINDS)("Frontend API client and sign-out (%s)", (kind) => {
  let foyer: TestFoyer;
  let t: TestInstance;

  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
    t = await createTestInstance(foyer);
  });
  afterAll(() => foyer.close());

  const get = (cookie?: string) =>
    foyer.request(`${t.fapiPath}/v1/client`, { headers: cookie ? { cookie } : {} });
  const mint = (sid: string, cookie: string) =>
    foyer.request(`${t.fapiPath}/v1/client/sessions/${sid}/tokens`, { method: "POST", headers: { cookie } });
  const sessionRow = (id: string) =>
    foyer.svc.db.kysely.selectFrom("sessions").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

  it("answers null, not an error, without a cookie or with an unknown one", async () => {
    for (const res of [await get(), await get("__client=unknown-value")]) {
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ response: null, client: null });
    }
  });

  it("shows the client, its sessions and their users, without private metadata or tokens", async () => {
    const s = await signInTestUser(foyer, t.instance);
    await foyer.svc.db.kysely
      .insertInto("external_accounts")
      .values({
        id: "eac_test_1",
        instance_id: t.instance.id,
        user_id: s.user.id,
        provider: "oauth_atlassian",
        provider_user_id: "557058:abc",
        email_address: "ada@example.com",
        email_verified: 1,
        first_name: "Ada",
        last_name: "Lovelace",
        username: null,
        image_url: null,
        profile: "{}",
        approved_scopes: "read:me",
        sites: "[]",
        last_added_site_id: null,
        status: "active",
        access_token_enc: foyer.svc.keyring.encrypt("atl-access-secret", "x"),
        access_token_expires_at: null,
        refresh_token_enc: foyer.svc.keyring.encrypt("atl-refresh-secret", "y"),
        token_version: 1,
        refresh_lock_owner: null,
        refresh_lock_until: null,
        refresh_intent_at: null,
        last_refreshed_at: null,
        last_refresh_error: null,
        reauthorization_reason: null,
        refresh_failures: 0,
        created_at: foyer.svc.now(),
        updated_at: foyer.svc.now(),
      })
      .execute();
    const res = await get(s.cookie);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const text = await res.text();
    const body = JSON.parse(text);
    expect(body.response).toEqual(body.client);
    const client = body.client;
    expect(client).toMatchObject({ object: "client", id: s.clientId, last_active_session_id: s.sessionId });
    expect(client.sessions).toHaveLength(1);
    const session = client.sessions[0];
    expect(session).toMatchObject({ object: "session", id: s.sessionId, status: "active" });
    expect(typeof session.expire_at).toBe("number");
    expect(typeof session.last_active_at).toBe("number");
    expect(session.user).toMatchObject({ object: "user", id: s.user.id, first_name: "Ada" });
    expect(session.user.external_accounts[0].provider_user_id).toBe("557058:abc");
    expect(session.user).not.toHaveProperty("private_metadata");
    expect(text).not.toContain("gold");
    expect(text).not.toContain("atl-access-secret");
    expect(text).not.toContain("access_token_enc");
    expect(text).not.toContain(s.clientToken);
  });

  it("changes nothing on GET, even for a lapsed session", async () => {
    const s = await signInTestUser(foyer, t.instance);
    foyer.advance(8 * 24 * 3600 * 1000);
    const body = await (await get(s.cookie)).json();
    expect(body.client.sessions).toEqual([]);
    expect(body.client.last_active_session_id).toBeNull();
    expect((await sessionRow(s.sessionId)).status).toBe("active");
  });

  it("signs out of one session: no new token, the last one lives until its exp", async () => {
    const s = await signInTestUser(foyer, t.instance);
    expect((await mint(s.sessionId, s.cookie)).status).toBe(200);
    const res = await foyer.request(`${t.fapiPath}/v1/client/sessions/${s.sessionId}/end`, {
      method: "POST",
      headers: { cookie: s.cookie },
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.response).toMatchObject({ object: "session", id: s.sessionId, status: "ended" });
    expect(body.client.sessions).toEqual([]);
    const again = await mint(s.sessionId, s.cookie);
    expect(again.status).toBe(401);
    expect((await again.json()).errors[0].code).toBe("session_inactive");
    // Another client cannot end it.
    const other = await signInTestUser(foyer, t.instance);
    const foreign = await foyer.request(`${t.fapiPath}/v1/client/sessions/${other.sessionId}/end`, {
      method: "POST",
      headers: { cookie: s.cookie },
    });
    expect(foreign.status).toBe(404);
    expect((await sessionRow(other.sessionId)).status).toBe("active");
  });

  it("signs out of everything with DELETE /v1/client and clears the cookie", async () => {
    const s = await signInTestUser(foyer, t.instance);
    const res = await foyer.request(`${t.fapiPath}/v1/client`, {
      method: "DELETE",
      headers: { cookie: s.cookie },
    });
    expect(res.status).toBe(200);
    expect((await res.json()).client).toBeNull();
    const setCookie = res.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^__client=;/);
    expect(setCookie).toMatch(/Max-Age=0/);
    expect(setCookie).toContain(`Path=${t.fapiPath}`);
    expect((await sessionRow(s.sessionId)).status).toBe("ended");
    // The old cookie value now finds nothing at all.
    expect((await (await get(s.cookie)).json()).client).toBeNull();
    expect((await mint(s.sessionId, s.cookie)).status).toBe(401);
  });

  it("sets the client cookie HttpOnly, SameSite=Lax, on the Frontend API path, Secure off loopback", () => {
    const local = cookieOptions(t.instance, 60);
    expect(local).toMatchObject({ httpOnly: true, sameSite: "Lax", path: t.fapiPath, secure: true });
    const loopback = cookieOptions({ ...t.instance, frontend_api_url: "http://localhost:3000/fapi/x" }, 60);
    expect(loopback.secure).toBe(false);
    const prod = cookieOptions({ ...t.instance, frontend_api_url: "https://clerk.example.com" }, 60);
    expect(prod).toMatchObject({ secure: true, path: "/" });
  });
});
