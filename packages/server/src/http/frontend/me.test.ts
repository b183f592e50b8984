import type { SessionWithActivityJSON } from "@foyer/contract";
import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import {
  createTestInstance,
  insertTestUser,
  type SignedIn,
  signInTestUser,
  type TestInstance,
} from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listEvents } from "../../events/outbox.js";
import { summariseUserAgent } from "../../sessions/device.js";
import { startSession } from "../../sessions/sessions.js";

const CHROME_MAC =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
const SAFARI_IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";

describe.each(DB_KINDS)("Frontend API: the user's own side (%s)", (kind) => {
  let foyer: TestFoyer;
  let t: TestInstance;
  const app = "https://app.example.com";
  const evil = "https://app.example.com.evil.test";

  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
    t = await createTestInstance(foyer, { allowedOrigins: [app] });
  });
  afterAll(() => foyer.close());

  const call = (path: string, cookie: string | undefined, init: RequestInit = {}) =>
    foyer.request(`${t.fapiPath}${path}`, {
      ...init,
      headers: { ...(cookie ? { cookie } : {}), ...(init.headers as Record<string, string>) },
    });
  /** Event types written about these ids (webhook outbox) other than their creation, sorted. */
  const eventsAbout = async (ids: string[]) =>
    (await listEvents(foyer.svc.db.kysely, t.instance.id, { limit: 1000 }))
      .filter((e) => ids.includes((e.data as { id?: string }).id ?? "") && !e.type.endsWith(".created"))
      .map((e) => e.type)
      .sort();
  const status = async (id: string) =>
    (
      await foyer.svc.db.kysely
        .selectFrom("sessions")
        .select("status")
        .where("id", "=", id)
        .executeTakeFirstOrThrow()
    ).status;

  /** A second device of the same user: another client, another cookie. */
  async function otherDevice(s: SignedIn, userAgent: string): Promise<SignedIn> {
    const { clientToken, client, session } = await startSession(
      foyer.svc,
      t.instance,
      s.user.id,
      summariseUserAgent(userAgent),
    );
    return {
      ...s,
      sessionId: session.id,
      clientId: client.id,
      clientToken,
      cookie: `__client=${clientToken}`,
    };
  }

  let accountSeq = 0;
  async function linkAccount(userId: string): Promise<string> {
    const id = `eac_me_${kind}_${++accountSeq}`;
    const now = foyer.svc.now();
    await foyer.svc.db.kysely
      .insertInto("external_accounts")
      .values({
        id,
        instance_id: t.instance.id,
        user_id: userId,
        provider: "oauth_atlassian",
        provider_user_id: `557058:me-${kind}-${accountSeq}`,
        email_address: null,
        email_verified: 0,
        first_name: null,
        last_name: null,
        username: null,
        image_url: null,
        profile: "{}",
        approved_scopes: "read:me",
        sites: "[]",
        last_added_site_id: null,
        status: "active",
        access_token_enc: foyer.svc.keyring.encrypt("atl-access-secret", "x"),
        access_token_expires_at: null,
        refresh_token_enc: null,
        token_version: 1,
        refresh_lock_owner: null,
        refresh_lock_until: null,
        refresh_intent_at: null,
        last_refreshed_at: null,
        last_refresh_error: null,
        reauthorization_reason: null,
        refresh_failures: 0,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return id;
  }

  it("answers the profile at GET /v1/me, never private metadata or a token", async () => {
    const s = await signInTestUser(foyer, t.instance);
    await linkAccount(s.user.id);
    const res = await call("/v1/me", s.cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const text = await res.text();
    const body = JSON.parse(text);
    expect(body.response).toMatchObject({ object: "user", id: s.user.id });
    expect(body.response.external_accounts).toHaveLength(1);
    expect(body.response).not.toHaveProperty("private_metadata");
    expect(body.client.id).toBe(s.clientId);
    expect(text).not.toContain("atl-access-secret");

    const anonymous = await call("/v1/me", undefined);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).errors[0].code).toBe("client_not_found");
  });

  it("lists the user's sessions on every device with the device and the current flag, and only theirs", async () => {
    const here = await signInTestUser(foyer, t.instance);
    const phone = await otherDevice(here, SAFARI_IPHONE);
    const laptop = await otherDevice(here, CHROME_MAC);
    const stranger = await signInTestUser(foyer, t.instance);

    const res = await call("/v1/me/sessions/active", here.cookie);
    expect(res.status).toBe(200);
    const text = await res.text();
    const list = JSON.parse(text).response as SessionWithActivityJSON[];
    expect(list.map((s) => s.id).sort()).toEqual([here.sessionId, phone.sessionId, laptop.sessionId].sort());
    expect(list.map((s) => s.id)).not.toContain(stranger.sessionId);
    const byId = new Map(list.map((s) => [s.id, s]));
    expect(byId.get(here.sessionId)!.current).toBe(true);
    expect(byId.get(phone.sessionId)!.current).toBe(false);
    expect(byId.get(phone.sessionId)!.latest_activity).toMatchObject({
      object: "session_activity",
      browser_name: "Safari",
      browser_version: "17",
      device_type: "iOS",
      is_mobile: true,
      ip_address: null,
    });
    expect(byId.get(laptop.sessionId)!.latest_activity).toMatchObject({
      browser_name: "Chrome",
      browser_version: "120",
      device_type: "macOS",
      is_mobile: false,
    });
    expect(typeof byId.get(laptop.sessionId)!.last_active_at).toBe("number");
    // Only the summary is stored: the raw User-Agent is nowhere in the answer.
    expect(text).not.toContain("AppleWebKit");
  });

  it("ends another of the user's own sessions, never another user's", async () => {
    const here = await signInTestUser(foyer, t.instance);
    const phone = await otherDevice(here, SAFARI_IPHONE);
    const stranger = await signInTestUser(foyer, t.instance);

    const foreign = await call(`/v1/me/sessions/${stranger.sessionId}/revoke`, here.cookie, {
      method: "POST",
      headers: { origin: app },
    });
    expect(foreign.status).toBe(404);
    expect((await foreign.json()).errors[0].code).toBe("session_not_found");
    expect(await status(stranger.sessionId)).toBe("active");

    const res = await call(`/v1/me/sessions/${phone.sessionId}/revoke`, here.cookie, {
      method: "POST",
      headers: { origin: app },
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.response).toMatchObject({ id: phone.sessionId, status: "revoked", current: false });
    expect(await status(phone.sessionId)).toBe("revoked");
    expect(await status(here.sessionId)).toBe("active");
    expect(await eventsAbout([phone.sessionId, stranger.sessionId])).toEqual(["session.revoked"]);
    // The ended session mints nothing more.
    const mint = await call(`/v1/client/sessions/${phone.sessionId}/tokens`, phone.cookie, {
      method: "POST",
    });
    expect(mint.status).toBe(401);
  });

  it("refuses the state-changing routes cross-site, changing nothing", async () => {
    const here = await signInTestUser(foyer, t.instance);
    const phone = await otherDevice(here, SAFARI_IPHONE);
    const first = await linkAccount(here.user.id);
    await linkAccount(here.user.id);

    const revoke = await call(`/v1/me/sessions/${phone.sessionId}/revoke`, here.cookie, {
      method: "POST",
      headers: { origin: evil },
    });
    expect(revoke.status).toBe(403);
    const revokeBody = await revoke.json();
    expect(revokeBody.errors[0].code).toBe("cross_site_request_refused");
    // The refusal names the origin and where to add it.
    expect(revokeBody.errors[0].long_message).toContain(evil);
    expect(revokeBody.errors[0].long_message).toContain("allowed_origins");
    expect(await status(phone.sessionId)).toBe("active");

    const unlink = await call(`/v1/me/external_accounts/${first}`, here.cookie, {
      method: "DELETE",
      headers: { "sec-fetch-site": "cross-site" },
    });
    expect(unlink.status).toBe(403);
    expect((await unlink.json()).errors[0].code).toBe("cross_site_request_refused");
    const still = await foyer.svc.db.kysely
      .selectFrom("external_accounts")
      .select("id")
      .where("id", "=", first)
      .executeTakeFirst();
    expect(still).toBeDefined();
  });

  it("unlinks an external account, but not the last way to sign in, nor another user's", async () => {
    const here = await signInTestUser(foyer, t.instance);
    const phone = await otherDevice(here, SAFARI_IPHONE);
    const first = await linkAccount(here.user.id);
    const second = await linkAccount(here.user.id);
    const stranger = await insertTestUser(foyer, t.instance);
    const theirs = await linkAccount(stranger.id);
    await linkAccount(stranger.id);
    const unlink = (id: string) =>
      call(`/v1/me/external_accounts/${id}`, here.cookie, { method: "DELETE", headers: { origin: app } });

    const foreign = await unlink(theirs);
    expect(foreign.status).toBe(404);
    expect((await foreign.json()).errors[0].code).toBe("resource_not_found");

    const res = await unlink(first);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.response).toEqual({ object: "external_account", id: first, deleted: true });
    // The session that asked stays; the user's others end (one may have come through that account).
    expect(await status(here.sessionId)).toBe("active");
    expect(await status(phone.sessionId)).toBe("revoked");
    expect(await eventsAbout([first, phone.sessionId, here.sessionId, here.user.id])).toEqual([
      "external_account.deleted",
      "session.revoked",
      "user.updated",
    ]);
    expect(body.client.sessions[0].user.external_accounts.map((a: { id: string }) => a.id)).toEqual([second]);

    const last = await unlink(second);
    expect(last.status).toBe(409);
    expect((await last.json()).errors[0].code).toBe("external_account_last_sign_in_method");
    const left = await foyer.svc.db.kysely
      .selectFrom("external_accounts")
      .select("id")
      .where("user_id", "=", here.user.id)
      .execute();
    expect(left.map((a) => a.id)).toEqual([second]);
    const theirsLeft = await foyer.svc.db.kysely
      .selectFrom("external_accounts")
      .select("id")
      .where("user_id", "=", stranger.id)
      .execute();
    expect(theirsLeft).toHaveLength(2);
  });

  it("never leaves a user without an account when two unlinks race", async () => {
    const here = await signInTestUser(foyer, t.instance);
    const ids = [await linkAccount(here.user.id), await linkAccount(here.user.id)];
    const answers = await Promise.all(
      ids.map((id) =>
        call(`/v1/me/external_accounts/${id}`, here.cookie, { method: "DELETE", headers: { origin: app } }),
      ),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const left = await foyer.svc.db.kysely
      .selectFrom("external_accounts")
      .select("id")
      .where("user_id", "=", here.user.id)
      .execute();
    expect(left).toHaveLength(1);
  });

  it("tells any origin, without credentials, whether it is allowed and where to add it", async () => {
    const ok = await call("/v1/origin_check", undefined, { headers: { origin: app } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      object: "origin_check",
      origin: app,
      allowed: true,
      message: null,
    });

    const refused = await call("/v1/origin_check", undefined, { headers: { origin: evil } });
    expect(refused.headers.get("access-control-allow-origin")).toBe("*");
    expect(refused.headers.get("access-control-allow-credentials")).toBeNull();
    const body = await refused.json();
    expect(body.allowed).toBe(false);
    expect(body.message).toContain(evil);
    expect(body.message).toContain(`/dashboard/instances/${t.id}/settings`);
    expect(body.message).toContain(`PATCH /platform/v1/instances/${t.id}`);
  });

  it("accepts any http://localhost:* and http://127.0.0.1:* origin on a development instance", async () => {
    for (const origin of ["http://localhost:5173", "http://127.0.0.1:4321"]) {
      const pre = await call("/v1/client", undefined, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST" },
      });
      expect(pre.status).toBe(204);
      expect(pre.headers.get("access-control-allow-origin")).toBe(origin);
    }
    for (const origin of ["https://localhost:5173", "http://localhost.evil.test:80", "http://[::1]:3000"]) {
      const pre = await call("/v1/client", undefined, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST" },
      });
      expect(pre.status).toBe(403);
    }
  });
  it("lists the user's own organization memberships, never private metadata nor another user's", async () => {
    const ada = await signInTestUser(foyer, t.instance);
    const bob = await signInTestUser(foyer, t.instance);
    const backend = (path: string, body: unknown) =>
      foyer.request(`/v1${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${t.secretKey}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const acme = await (
      await backend("/organizations", {
        name: "Acme",
        created_by: ada.user.id,
        private_metadata: { plan: "secret-plan" },
      })
    ).json();
    const globex = await (
      await backend("/organizations", { name: "Globex", created_by: bob.user.id })
    ).json();
    expect(
      (
        await backend(`/organizations/${globex.id}/memberships`, {
          user_id: ada.user.id,
          role: "org:member",
          private_metadata: { note: "secret-note" },
        })
      ).status,
    ).toBe(200);

    const res = await call("/v1/me/organization_memberships", ada.cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const text = await res.text();
    expect(text).not.toContain("private_metadata");
    expect(text).not.toContain("secret-");
    const body = JSON.parse(text);
    expect(body.response.total_count).toBe(2);
    expect(
      body.response.data.map((m: { organization: { id: string }; role: string }) => [
        m.organization.id,
        m.role,
      ]),
    ).toEqual([
      [globex.id, "org:member"],
      [acme.id, "org:admin"],
    ]);
    expect(body.response.data[0].public_user_data.user_id).toBe(ada.user.id);
    const bobs = await (await call("/v1/me/organization_memberships", bob.cookie)).json();
    expect(bobs.response.data.map((m: { organization: { id: string } }) => m.organization.id)).toEqual([
      globex.id,
    ]);
    expect((await call("/v1/me/organization_memberships", undefined)).status).toBe(401);
  });
});
