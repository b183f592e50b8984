/**
 * "Needs to reconnect": the users whose Atlassian grant died (marked by the grant-health code) and
 * who must consent again, found by the Backend API's `needs_reconnect` filter and on the
 * dashboard's Users page. Confined to the instance like every other filter.
 */
import { type DashboardClient, signInToDashboard } from "@foyer/testkit/dashboard-client";
import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { createTestInstance, insertTestUser, type TestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../crypto/random.js";
import type { ExternalAccountTable } from "../db/schema.js";
import { markReauthorizationRequired } from "../tokens/token-store.js";

describe.each(DB_KINDS)("needs_reconnect filter (%s)", (kind) => {
  let foyer: TestFoyer;
  let dash: DashboardClient;
  let a: TestInstance;
  let b: TestInstance;
  const ids: Record<string, string> = {};

  async function userWithAccount(instance: TestInstance, name: string, dead: boolean): Promise<string> {
    const user = await insertTestUser(foyer, instance.instance, { first_name: name, last_name: "Test" });
    const now = foyer.svc.now();
    const account: ExternalAccountTable = {
      id: newId("eac"),
      instance_id: instance.id,
      user_id: user.id,
      provider: "oauth_atlassian",
      provider_user_id: `557058:${newId("acct")}`,
      email_address: null,
      email_verified: 0,
      first_name: name,
      last_name: "Test",
      username: null,
      image_url: null,
      profile: "{}",
      approved_scopes: "read:me offline_access",
      sites: "[]",
      last_added_site_id: null,
      status: "active",
      access_token_enc: null,
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
    };
    await foyer.svc.db.kysely.insertInto("external_accounts").values(account).execute();
    // The same write a refresh answered invalid_grant makes.
    if (dead) expect(await markReauthorizationRequired(foyer.svc, account, "revoked")).toBe(true);
    return user.id;
  }

  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
    dash = await signInToDashboard(foyer);
    a = await createTestInstance(foyer);
    b = await createTestInstance(foyer);
    ids.alive = await userWithAccount(a, "Alive", false);
    ids.dead = await userWithAccount(a, "Dead", true);
    ids.none = (await insertTestUser(foyer, a.instance, { first_name: "Nobody" })).id;
    ids.otherDead = await userWithAccount(b, "Elsewhere", true);
  });
  afterAll(() => foyer.close());

  const backend = (instance: TestInstance, query: string) =>
    foyer.request(`/v1/users${query}`, { headers: { authorization: `Bearer ${instance.secretKey}` } });
  const userIds = async (instance: TestInstance, query: string) =>
    ((await (await backend(instance, query)).json()) as Array<{ id: string }>).map((u) => u.id).sort();

  it("lists and counts only the users who must reconnect Atlassian, in this instance", async () => {
    expect(await userIds(a, "?needs_reconnect=true")).toEqual([ids.dead]);
    expect(await userIds(a, "?needs_reconnect=false")).toEqual([ids.alive, ids.none].sort());
    expect((await userIds(a, "")).length).toBe(3);
    expect(await userIds(b, "?needs_reconnect=true")).toEqual([ids.otherDead]);
    const count = await (await backend(a, "/count?needs_reconnect=true")).json();
    expect(count).toEqual({ object: "total_count", total_count: 1 });
    // Combined with the other filters.
    expect(await userIds(a, "?needs_reconnect=true&query=alive")).toEqual([]);
  });

  it("refuses a value that is not true or false", async () => {
    const res = await backend(a, "?needs_reconnect=yes");
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0]).toMatchObject({
      code: "query_param_invalid",
      meta: { param_name: "needs_reconnect" },
    });
  });

  it("filters the dashboard's Users page the same way", async () => {
    const path = `/dashboard/instances/${a.id}/users`;
    const all = await dash.html(path);
    expect(all).toContain('name="needs_reconnect"');
    for (const id of [ids.alive, ids.dead, ids.none]) expect(all).toContain(id);
    expect(all).toContain("Must reconnect");

    const filtered = await dash.html(`${path}?needs_reconnect=true`);
    expect(filtered).toContain(ids.dead);
    expect(filtered).not.toContain(ids.alive);
    expect(filtered).not.toContain(ids.none);
    expect(filtered).not.toContain(ids.otherDead);
    expect(filtered).toMatch(/id="needs-reconnect"[^>]*checked/);
    expect(await dash.html(`/dashboard/instances/${b.id}/users?needs_reconnect=true&query=alive`)).toContain(
      "No user needs to reconnect Atlassian.",
    );
  });
});
