/**
 * The site organization backfill (issue 18): turning `organizations_from_sites` on binds the
 * sites of users whose grants were stored while it was off, in bounded batches, resumable by a
 * second process on the same database, idempotent, with the membership events; on both databases.
 */
import { DEMO_IDS, newEmulatorAccount, seedAtlassianUser } from "@foyer/testkit/atlassian-user";
import { signInToDashboard } from "@foyer/testkit/dashboard-client";
import { DB_KINDS } from "@foyer/testkit/databases";
import { type GrantSuite, startGrantSuite } from "@foyer/testkit/grant-suite";
import { createTestFoyer } from "@foyer/testkit/harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listEvents } from "../events/outbox.js";
import { runSiteBackfillPass } from "./site-backfill.js";
import { queueSiteBackfill } from "./site-backfill-queue.js";

describe.each(DB_KINDS)("site organization backfill (%s)", (kind) => {
  let s: GrantSuite;
  beforeAll(async () => {
    s = await startGrantSuite(kind);
  });
  afterAll(() => s?.close());

  const db = () => s.foyer.svc.db.kysely;
  const queued = () =>
    db()
      .selectFrom("site_organization_backfills")
      .selectAll()
      .where("instance_id", "=", s.instanceId)
      .execute();
  const eventTypes = async () =>
    (await listEvents(db(), s.instanceId, { limit: 1000 }))
      .map((e) => e.type)
      .filter((t) => t.startsWith("organization"))
      .sort();
  const siteMembers = async () =>
    (
      await db()
        .selectFrom("organization_memberships")
        .innerJoin("organizations", "organizations.id", "organization_memberships.organization_id")
        .select(["organizations.atlassian_cloud_id as site", "user_id", "role"])
        .where("organizations.instance_id", "=", s.instanceId)
        .execute()
    )
      .map((m) => `${m.site === DEMO_IDS.acme ? "acme" : "globex"} ${m.user_id} ${m.role}`)
      .sort();
  const setting = (value: "off" | "auto") =>
    s.foyer.platform(`/instances/${s.instanceId}`, {
      method: "PATCH",
      json: { organizations_from_sites: value },
    });

  it("binds existing users' sites in batches, resumes in another process, and binds nothing twice", async () => {
    const acme = [await s.seed(), await s.seed(), await s.seed()];
    const globex = await s.seed({
      accountId: newEmulatorAccount(s.te, "Gil", [DEMO_IDS.globex]),
      cloudId: DEMO_IDS.globex,
    });
    const bothAccount = newEmulatorAccount(s.te, "Bo", [DEMO_IDS.acme, DEMO_IDS.globex]);
    const both = await s.seed({ accountId: bothAccount, cloudId: DEMO_IDS.acme });
    await seedAtlassianUser(s.foyer, s.te, {
      instanceId: s.instanceId,
      accountId: bothAccount,
      cloudId: DEMO_IDS.globex,
    });
    // Off: grants bind nothing, and nothing is queued.
    expect(await siteMembers()).toEqual([]);
    expect(await queued()).toEqual([]);

    expect((await setting("auto")).status).toBe(200);
    expect(await queued()).toMatchObject([{ after_user_id: "", users_done: 0 }]);
    // Turning it on binds nobody yet: the job does, after the settings change commits.
    expect(await siteMembers()).toEqual([]);

    const ordered = [...acme.map((u) => u.userId), globex.userId, both.userId].sort();
    expect(await runSiteBackfillPass(s.foyer.svc, { batch: 2, maxBatches: 1 })).toEqual({
      users: 2,
      finished: 0,
    });
    expect(await queued()).toMatchObject([{ after_user_id: ordered[1], users_done: 2 }]);
    // The operator sees it running, over the Platform API and on the dashboard.
    const status = async () =>
      (await s.foyer.platform(`/instances/${s.instanceId}/site_organization_backfill`)).json();
    expect(await status()).toMatchObject({
      object: "site_organization_backfill",
      status: "running",
      users_done: 2,
    });
    const dash = await signInToDashboard(s.foyer);
    expect(await dash.html(`/dashboard/instances/${s.instanceId}/organizations`)).toContain("2 done so far");
    const firstBatch = await siteMembers();
    expect(new Set(firstBatch.map((m) => m.split(" ")[1]))).toEqual(new Set(ordered.slice(0, 2)));

    // "Restart": another process on the same database finishes from the stored cursor.
    const second = await createTestFoyer(kind, {
      database: s.foyer.database,
      encryptionKey: s.foyer.encryptionKey,
      atlassian: s.te.atlassian,
      now: s.foyer.svc.now,
    });
    try {
      expect(await runSiteBackfillPass(second.svc, { batch: 2 })).toEqual({ users: 3, finished: 1 });
    } finally {
      await second.close();
    }
    expect(await queued()).toEqual([]);
    expect(await status()).toMatchObject({ status: "idle", users_done: 0, started_at: null });
    expect(await dash.html(`/dashboard/instances/${s.instanceId}/organizations`)).not.toContain(
      "done so far",
    );

    const members = await siteMembers();
    const acmeIds = [...acme.map((u) => u.userId), both.userId];
    expect(
      members
        .filter((m) => m.startsWith("acme"))
        .map((m) => m.split(" ")[1])
        .sort(),
    ).toEqual(acmeIds.sort());
    expect(
      members
        .filter((m) => m.startsWith("globex"))
        .map((m) => m.split(" ")[1])
        .sort(),
    ).toEqual([globex.userId, both.userId].sort());
    // One admin per site organization: its first member.
    expect(members.filter((m) => m.endsWith("org:admin"))).toHaveLength(2);
    const events = await eventTypes();
    expect(events.filter((t) => t === "organization.created")).toHaveLength(2);
    expect(events.filter((t) => t === "organizationMembership.created")).toHaveLength(6);

    // Again from the start (queued anew, or two passes at once): nothing changes, no event.
    await queueSiteBackfill(db(), s.instanceId, s.foyer.svc.now());
    const runs = await Promise.all([
      runSiteBackfillPass(s.foyer.svc, { batch: 2 }),
      runSiteBackfillPass(s.foyer.svc, { batch: 2 }),
    ]);
    expect(runs.reduce((n, r) => n + r.finished, 0)).toBe(1);
    expect(await queued()).toEqual([]);
    expect(await siteMembers()).toEqual(members);
    expect(await eventTypes()).toEqual(events);
  });

  it("stops without binding when the setting is turned off again before the job ran", async () => {
    expect((await setting("off")).status).toBe(200);
    const late = await s.seed({
      accountId: newEmulatorAccount(s.te, "Late", [DEMO_IDS.acme]),
      cloudId: DEMO_IDS.acme,
    });
    expect((await setting("auto")).status).toBe(200);
    // auto → auto queues nothing more.
    expect((await setting("auto")).status).toBe(200);
    expect(await queued()).toHaveLength(1);
    expect((await setting("off")).status).toBe(200);
    const before = await eventTypes();
    expect(await runSiteBackfillPass(s.foyer.svc)).toEqual({ users: 0, finished: 1 });
    expect(await queued()).toEqual([]);
    expect((await siteMembers()).some((m) => m.includes(late.userId))).toBe(false);
    expect(await eventTypes()).toEqual(before);
  });
});
