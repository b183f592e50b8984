/**
 * `organization.*` and `organizationMembership.*` events (issue 18, item 5), each written by the
 * real change in its transaction: the Backend API's writes, and site organizations made and
 * left as grants reach or lose a site.
 */
import type { WebhookEventJSON } from "@foyer/contract";
import { DEMO_IDS, newEmulatorAccount } from "@foyer/testkit/atlassian-user";
import { DB_KINDS } from "@foyer/testkit/databases";
import { type GrantSuite, startGrantSuite } from "@foyer/testkit/grant-suite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listEvents } from "../events/outbox.js";
import { FORCED_REUSE_MS } from "../tokens/stored-token.js";

describe.each(DB_KINDS)("organization events (%s)", (kind) => {
  let s: GrantSuite;
  let seen = 0;
  beforeAll(async () => {
    s = await startGrantSuite(kind);
  });
  afterAll(() => s?.close());

  /** The organization events written since the last call, oldest first. */
  async function newEvents(): Promise<WebhookEventJSON[]> {
    const all = (await listEvents(s.foyer.svc.db.kysely, s.instanceId, { limit: 1000 })).reverse();
    const fresh = all.slice(seen);
    seen = all.length;
    return fresh.filter((e) => e.type.startsWith("organization"));
  }
  const backend = async (method: string, path: string, json?: unknown) => {
    const res = await s.foyer.request(`/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${s.secretKey}`, "content-type": "application/json" },
      ...(json ? { body: JSON.stringify(json) } : {}),
    });
    expect(res.status, `${method} ${path}`).toBe(200);
    return res.json();
  };

  it("writes one event per API change, with the resource as the API shows it", async () => {
    const { userId } = await s.seed();
    await newEvents();
    const org = await backend("POST", "/organizations", { name: "Evented", created_by: userId });
    const created = await newEvents();
    expect(created.map((e) => e.type)).toEqual(["organization.created", "organizationMembership.created"]);
    expect(created[0]!.data).toMatchObject({ object: "organization", id: org.id, name: "Evented" });
    expect(created[1]!.data).toMatchObject({ object: "organization_membership", role: "org:admin" });

    await backend("PATCH", `/organizations/${org.id}`, { name: "Evented Again" });
    await backend("PATCH", `/organizations/${org.id}/memberships/${userId}`, { role: "org:member" });
    await backend("DELETE", `/organizations/${org.id}/memberships/${userId}`);
    const changed = await newEvents();
    expect(changed.map((e) => e.type)).toEqual([
      "organization.updated",
      "organizationMembership.updated",
      "organizationMembership.deleted",
    ]);
    expect(changed[0]!.data).toMatchObject({ name: "Evented Again" });
    expect(changed[1]!.data).toMatchObject({ role: "org:member" });
    expect(changed[2]!.data).toMatchObject({
      public_user_data: { user_id: userId },
      organization: { members_count: 0 },
    });

    await backend("DELETE", `/organizations/${org.id}`);
    expect((await newEvents()).map((e) => [e.type, e.data])).toEqual([
      ["organization.deleted", { object: "organization", id: org.id, deleted: true }],
    ]);

    // A refused change writes nothing.
    const taken = await s.foyer.request("/v1/organizations", {
      method: "POST",
      headers: { authorization: `Bearer ${s.secretKey}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "x", slug: "evented-again-not", created_by: "user_nobody" }),
    });
    expect(taken.status).toBe(404);
    expect(await newEvents()).toEqual([]);
  });

  it("writes the site organization's and memberships' events as grants reach and lose the site", async () => {
    expect(
      (
        await s.foyer.platform(`/instances/${s.instanceId}`, {
          method: "PATCH",
          json: { organizations_from_sites: "auto" },
        })
      ).status,
    ).toBe(200);
    await newEvents();
    const accountId = newEmulatorAccount(s.te, "Ev", [DEMO_IDS.globex]);
    const user = await s.seed({ accountId, cloudId: DEMO_IDS.globex });
    const joined = await newEvents();
    expect(joined.map((e) => e.type)).toEqual(["organization.created", "organizationMembership.created"]);
    expect(joined[0]!.data).toMatchObject({ atlassian_site: { cloud_id: DEMO_IDS.globex } });

    s.te.emulator.control.revokeSiteAccess(accountId, DEMO_IDS.globex);
    s.foyer.advance(FORCED_REUSE_MS);
    expect((await s.forceRefresh(user.userId)).status).toBe(200);
    const left = await newEvents();
    expect(left.map((e) => e.type)).toEqual(["organizationMembership.deleted"]);
    expect(left[0]!.data).toMatchObject({ public_user_data: { user_id: user.userId } });
  });
});
