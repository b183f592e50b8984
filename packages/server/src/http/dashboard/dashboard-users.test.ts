import { type DashboardClient, signInToDashboard } from "@foyer/testkit/dashboard-client";
import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../crypto/random.js";
import { USERS_PAGE_SIZE } from "./user-admin.js";

const XSS = "<img src=x onerror=alert(1)>";

/** A user as the sign-in flow stores one, written directly: the dashboard must show whatever is there. */
async function insertUser(
  foyer: TestFoyer,
  instanceId: string,
  opts: { first: string; last?: string; email?: string; accountId?: string; siteUrl?: string; at?: number },
) {
  const db = foyer.svc.db.kysely;
  const now = opts.at ?? foyer.svc.now();
  const userId = newId("user");
  const emailId = newId("idn");
  await db
    .insertInto("users")
    .values({
      id: userId,
      instance_id: instanceId,
      first_name: opts.first,
      last_name: opts.last ?? null,
      username: null,
      image_url: null,
      locale: "en-GB",
      primary_email_address_id: opts.email ? emailId : null,
      public_metadata: "{}",
      private_metadata: "{}",
      unsafe_metadata: "{}",
      last_sign_in_at: now,
      created_at: now,
      updated_at: now,
    })
    .execute();
  if (opts.email) {
    await db
      .insertInto("email_addresses")
      .values({
        id: emailId,
        instance_id: instanceId,
        user_id: userId,
        email_address: opts.email,
        verified: 1,
        verification_strategy: "from_oauth_atlassian",
        created_at: now,
      })
      .execute();
  }
  const accountId = opts.accountId ?? `557058:${newId("acct")}`;
  const site = {
    id: "cloud-1",
    name: `${opts.first} site`,
    url: opts.siteUrl ?? "https://acme.atlassian.net",
    scopes: ["read:jira-work"],
    avatar_url: null,
  };
  await db
    .insertInto("external_accounts")
    .values({
      id: newId("eac"),
      instance_id: instanceId,
      user_id: userId,
      provider: "oauth_atlassian",
      provider_user_id: accountId,
      email_address: opts.email ?? null,
      email_verified: 1,
      first_name: opts.first,
      last_name: opts.last ?? null,
      username: null,
      image_url: null,
      profile: JSON.stringify({ name: opts.first }),
      approved_scopes: "read:me read:jira-work offline_access",
      sites: JSON.stringify([site]),
      last_added_site_id: "cloud-1",
      status: "active",
      access_token_enc: null,
      access_token_expires_at: now + 3_600_000,
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
  const sessionIds: string[] = [];
  for (let i = 0; i < 2; i++) {
    const clientId = newId("client");
    await db
      .insertInto("clients")
      .values({
        id: clientId,
        instance_id: instanceId,
        token_hash: newId("h"),
        created_at: now,
        updated_at: now,
      })
      .execute();
    const id = newId("sess");
    sessionIds.push(id);
    await db
      .insertInto("sessions")
      .values({
        id,
        instance_id: instanceId,
        client_id: clientId,
        user_id: userId,
        status: "active",
        last_active_at: now,
        expire_at: now + 86_400_000,
        ended_at: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
  return { userId, accountId, sessionIds };
}

describe.each(DB_KINDS)("dashboard users (%s)", (kind) => {
  let foyer: TestFoyer;
  let dash: DashboardClient;
  let instanceId: string;
  let otherInstanceId: string;
  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
    dash = await signInToDashboard(foyer);
    const app = await (
      await foyer.platform("/applications", { method: "POST", json: { name: "Users" } })
    ).json();
    instanceId = app.instances[0].id;
    const other = await (
      await foyer.platform("/applications", { method: "POST", json: { name: "Other" } })
    ).json();
    otherInstanceId = other.instances[0].id;
  });
  afterAll(() => foyer.close());

  const usersPath = () => `/dashboard/instances/${instanceId}/users`;

  it("escapes an Atlassian display name carrying markup, in the list and on the user page", async () => {
    const { userId } = await insertUser(foyer, instanceId, {
      first: XSS,
      email: "mallory@example.com",
      siteUrl: "javascript:alert(document.cookie)",
    });
    for (const html of [await dash.html(usersPath()), await dash.html(`${usersPath()}/${userId}`)]) {
      expect(html).not.toContain(XSS);
      expect(html).not.toContain("<img");
      expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
      expect(html).not.toContain('href="javascript:');
    }
  });

  it("searches by name, email and Atlassian account id, with % and _ matching themselves", async () => {
    const ada = await insertUser(foyer, instanceId, {
      first: "Ada",
      last: "Lovelace",
      email: "ada@example.com",
    });
    await insertUser(foyer, instanceId, { first: "Grace", last: "Hopper", email: "grace@example.com" });
    await insertUser(foyer, otherInstanceId, { first: "Ada", last: "Elsewhere", email: "ada@else.example" });
    const find = async (q: string) => dash.html(`${usersPath()}?query=${encodeURIComponent(q)}`);
    for (const q of ["lovelace", "LOVE", "ada@example", ada.accountId.slice(-10), ada.userId]) {
      const html = await find(q);
      expect(html, q).toContain("Ada Lovelace");
      expect(html, q).not.toContain("Grace Hopper");
      expect(html, q).not.toContain("Elsewhere");
    }
    expect(await find("a%e")).toContain("No user matches this search.");
    expect(await find("a_a")).toContain("No user matches this search.");
    expect(await find("nobody-like-this")).toContain("No user matches this search.");
  });

  it("paginates", async () => {
    const base = foyer.svc.now() - 10_000_000;
    for (let i = 0; i < USERS_PAGE_SIZE + 3; i++) {
      await insertUser(foyer, instanceId, { first: `Bulk${String(i).padStart(2, "0")}`, at: base + i });
    }
    const first = await dash.html(usersPath());
    const total = Number(/(\d+) users · page 1 of (\d+)/.exec(first)?.[1]);
    expect(total).toBeGreaterThan(USERS_PAGE_SIZE);
    expect(first).toContain(`${usersPath()}?page=2`);
    expect(first.match(/<tr>/g)?.length).toBe(USERS_PAGE_SIZE + 1);
    const second = await dash.html(`${usersPath()}?page=2`);
    expect(second).toContain("Bulk00");
    expect(second).toContain("Previous");
    const bulk = await dash.html(`${usersPath()}?query=bulk&page=2`);
    expect(bulk.match(/<tr>/g)?.length).toBe(3 + 1);
    expect((await dash.get(`${usersPath()}?page=0`)).status).toBe(400);
    expect((await dash.get(`${usersPath()}?page=abc`)).status).toBe(400);
  });

  it("shows a user's emails, Atlassian account, sites, scopes and token status", async () => {
    const { userId, accountId } = await insertUser(foyer, instanceId, {
      first: "Katherine",
      last: "Johnson",
      email: "kj@example.com",
    });
    const html = await dash.html(`${usersPath()}/${userId}`);
    expect(html).toContain("Katherine Johnson");
    expect(html).toContain("kj@example.com");
    expect(html).toContain("verified");
    expect(html).toContain(accountId);
    expect(html).toContain('href="https://acme.atlassian.net/"');
    expect(html).toContain("Katherine site");
    expect(html).toContain("read:jira-work");
    expect(html).toContain("offline_access");
    expect(html).toContain("Active");
    await foyer.svc.db.kysely
      .updateTable("external_accounts")
      .set({ status: "reauthorization_required" })
      .where("user_id", "=", userId)
      .execute();
    expect(await dash.html(`${usersPath()}/${userId}`)).toContain("Needs reauthorization");
  });

  it("revokes one session, then all, then deletes the user", async () => {
    const { userId, sessionIds } = await insertUser(foyer, instanceId, { first: "Revoke", last: "Me" });
    const userPath = `${usersPath()}/${userId}`;
    const status = async () =>
      (
        await foyer.svc.db.kysely
          .selectFrom("sessions")
          .select(["id", "status"])
          .where("user_id", "=", userId)
          .orderBy("id")
          .execute()
      ).map((s) => [s.id, s.status]);

    const one = await dash.post(`${userPath}/sessions/${sessionIds[0]}/revoke`);
    expect(one.status).toBe(303);
    expect(one.headers.get("location")).toBe(`${userPath}?notice=session_revoked`);
    expect(Object.fromEntries(await status())).toEqual({
      [sessionIds[0]!]: "revoked",
      [sessionIds[1]!]: "active",
    });
    expect((await dash.post(`${userPath}/sessions/${sessionIds[0]}/revoke`)).status).toBe(404);

    expect((await dash.post(`${userPath}/sessions/revoke-all`)).status).toBe(303);
    expect((await status()).every(([, s]) => s === "revoked")).toBe(true);

    expect(await dash.html(`${userPath}/delete`)).toContain("Delete Revoke Me?");
    const del = await dash.post(`${userPath}/delete`);
    expect(del.status).toBe(303);
    expect(del.headers.get("location")).toBe(`${usersPath()}?notice=user_deleted`);
    expect((await dash.get(userPath)).status).toBe(404);
    expect(await status()).toEqual([]);
  });

  it("never reaches another instance's user through this instance's pages", async () => {
    const { userId, sessionIds } = await insertUser(foyer, otherInstanceId, { first: "Foreign" });
    const path = `${usersPath()}/${userId}`;
    expect((await dash.get(path)).status).toBe(404);
    expect((await dash.post(`${path}/sessions/${sessionIds[0]}/revoke`)).status).toBe(404);
    expect((await dash.post(`${path}/delete`)).status).toBe(404);
    const row = await foyer.svc.db.kysely
      .selectFrom("users")
      .select("id")
      .where("id", "=", userId)
      .executeTakeFirst();
    expect(row?.id).toBe(userId);
  });
});
