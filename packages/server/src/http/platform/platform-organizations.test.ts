/**
 * Organization writes through the Platform API (the operator's token, an instance in the path):
 * the Backend API's domain functions, answers and events, confined to the instance named; and
 * the paging of membership lists on both APIs.
 */
import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { createTestInstance, insertTestUser, type TestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listEvents } from "../../events/outbox.js";

describe.each(DB_KINDS)("Platform API organizations (%s)", (kind) => {
  let foyer: TestFoyer;
  let t: TestInstance;
  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
    t = await createTestInstance(foyer);
  });
  afterAll(() => foyer.close());

  const orgsPath = (instanceId = t.id) => `/instances/${instanceId}/organizations`;
  const eventTypes = async () =>
    (await listEvents(foyer.svc.db.kysely, t.id, { limit: 1000 }))
      .reverse()
      .map((e) => e.type)
      .filter((type) => type.startsWith("organization"));

  it("creates, gets, updates and deletes an organization, with its events", async () => {
    const user = await insertTestUser(foyer, t.instance);
    const before = (await eventTypes()).length;
    const res = await foyer.platform(orgsPath(), {
      method: "POST",
      json: { name: "Platform Made", created_by: user.id, public_metadata: { tier: "gold" } },
    });
    expect(res.status).toBe(201);
    const org = await res.json();
    expect(org).toMatchObject({ object: "organization", slug: "platform-made", members_count: 1 });

    const got = await (await foyer.platform(`${orgsPath()}/platform-made`)).json();
    expect(got.id).toBe(org.id);
    const patched = await foyer.platform(`${orgsPath()}/${org.id}`, {
      method: "PATCH",
      json: { name: "Platform Renamed" },
    });
    expect(patched.status).toBe(200);
    expect((await patched.json()).name).toBe("Platform Renamed");
    // The Backend API sees the same organization.
    const viaBackend = await foyer.request(`/v1/organizations/${org.id}`, {
      headers: { authorization: `Bearer ${t.secretKey}` },
    });
    expect((await viaBackend.json()).name).toBe("Platform Renamed");

    const del = await foyer.platform(`${orgsPath()}/${org.id}`, { method: "DELETE" });
    expect(await del.json()).toEqual({ object: "organization", id: org.id, deleted: true });
    expect((await foyer.platform(`${orgsPath()}/${org.id}`)).status).toBe(404);
    expect((await eventTypes()).slice(before)).toEqual([
      "organization.created",
      "organizationMembership.created",
      "organization.updated",
      "organization.deleted",
    ]);
  });

  it("adds a member, changes the role and removes the member, with their events", async () => {
    const org = await (await foyer.platform(orgsPath(), { method: "POST", json: { name: "Crew" } })).json();
    const user = await insertTestUser(foyer, t.instance, { first_name: "Ines" });
    const before = (await eventTypes()).length;
    const base = `${orgsPath()}/${org.id}/memberships`;
    const added = await foyer.platform(base, {
      method: "POST",
      json: { user_id: user.id, role: "org:member" },
    });
    expect(added.status).toBe(201);
    expect(await added.json()).toMatchObject({
      object: "organization_membership",
      role: "org:member",
      public_user_data: { user_id: user.id, first_name: "Ines" },
    });
    const again = await foyer.platform(base, {
      method: "POST",
      json: { user_id: user.id, role: "org:member" },
    });
    expect(again.status).toBe(422);
    expect((await again.json()).errors[0].code).toBe("organization_membership_exists");

    const role = await foyer.platform(`${base}/${user.id}`, { method: "PATCH", json: { role: "org:admin" } });
    expect((await role.json()).role).toBe("org:admin");
    const removed = await foyer.platform(`${base}/${user.id}`, { method: "DELETE" });
    expect(removed.status).toBe(200);
    expect((await removed.json()).organization.members_count).toBe(0);
    expect((await foyer.platform(`${base}/${user.id}`, { method: "DELETE" })).status).toBe(404);
    expect((await eventTypes()).slice(before)).toEqual([
      "organizationMembership.created",
      "organizationMembership.updated",
      "organizationMembership.deleted",
    ]);
  });

  it("never reaches another instance's organization or user", async () => {
    const other = await createTestInstance(foyer);
    const theirs = await (
      await foyer.platform(orgsPath(other.id), { method: "POST", json: { name: "Theirs" } })
    ).json();
    for (const [method, json] of [
      ["GET", undefined],
      ["PATCH", { name: "Taken" }],
      ["DELETE", undefined],
    ] as const) {
      const res = await foyer.platform(`${orgsPath()}/${theirs.id}`, { method, json });
      expect(res.status, method).toBe(404);
    }
    const stranger = await insertTestUser(foyer, other.instance);
    const mine = await (await foyer.platform(orgsPath(), { method: "POST", json: { name: "Mine" } })).json();
    const res = await foyer.platform(`${orgsPath()}/${mine.id}/memberships`, {
      method: "POST",
      json: { user_id: stranger.id, role: "org:member" },
    });
    expect(res.status).toBe(404);
    expect((await res.json()).errors[0].meta.param_name).toBe("user_id");
    expect((await foyer.platform(`${orgsPath(other.id)}/${theirs.id}`)).status).toBe(200);
  });

  it("pages membership lists on both APIs: limit up to 500, offset, total_count", async () => {
    const org = await (await foyer.platform(orgsPath(), { method: "POST", json: { name: "Paged" } })).json();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const user = await insertTestUser(foyer, t.instance, { first_name: `P${i}` });
      foyer.advance(1); // distinct creation times: newest first is a fixed order
      await foyer.platform(`${orgsPath()}/${org.id}/memberships`, {
        method: "POST",
        json: { user_id: user.id, role: "org:member" },
      });
      ids.unshift(user.id);
    }
    const lists = [
      (qs: string) => foyer.platform(`${orgsPath()}/${org.id}/memberships${qs}`),
      (qs: string) =>
        foyer.request(`/v1/organizations/${org.id}/memberships${qs}`, {
          headers: { authorization: `Bearer ${t.secretKey}` },
        }),
    ];
    for (const list of lists) {
      const page = await (await list("?limit=2&offset=1")).json();
      expect(page.total_count).toBe(5);
      expect(
        page.data.map((m: { public_user_data: { user_id: string } }) => m.public_user_data.user_id),
      ).toEqual(ids.slice(1, 3));
      expect((await (await list("?limit=500")).json()).data).toHaveLength(5);
      expect((await (await list("?offset=4")).json()).data).toHaveLength(1);
      for (const bad of ["?limit=501", "?limit=0", "?offset=-1", "?limit=two"]) {
        const res = await list(bad);
        expect(res.status, bad).toBe(400);
        const error = (await res.json()).errors[0];
        expect(error.code).toBe("query_param_invalid");
        expect(error.meta.param_name).toBe(bad.slice(1).split("=")[0]);
      }
    }
  });
});
