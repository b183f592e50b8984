/**
 * Every refresh reads accessible-resources again: a site the grant no longer reaches becomes
 * `lost` (with `lost_at`) on the user and drops out of the token answer, and comes back as
 * `accessible` when Atlassian lists it again.
 */
import { randomUUID } from "node:crypto";
import { DEMO_IDS, newEmulatorAccount } from "@foyer/testkit/atlassian-user";
import { DB_KINDS } from "@foyer/testkit/databases";
import { type GrantSuite, startGrantSuite } from "@foyer/testkit/grant-suite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FORCED_REUSE_MS } from "./stored-token.js";

describe.each(DB_KINDS)("sites after a refresh (%s)", (kind) => {
  let s: GrantSuite;
  beforeAll(async () => {
    s = await startGrantSuite(kind);
  });
  afterAll(() => s?.close());

  it("marks a removed site lost, hides it from the token answer, and brings it back", async () => {
    // A site of this test's own: removing a site removes it for every account of the emulator.
    const site = {
      cloudId: randomUUID(),
      name: "Lost and Found",
      url: `https://lost-${randomUUID().slice(0, 8)}.atlassian.net`,
      products: ["jira" as const],
    };
    s.te.emulator.control.upsertSite(site);
    const accountId = newEmulatorAccount(s.te);
    s.te.emulator.control.updateAccount(accountId, { siteIds: [DEMO_IDS.acme, site.cloudId] });
    const { userId } = await s.seed({ accountId, cloudId: site.cloudId });

    const siteOf = async () => (await (await s.getUser(userId)).json()).external_accounts[0].sites;
    const tokenSites = async () => {
      s.foyer.advance(FORCED_REUSE_MS);
      const res = await s.forceRefresh(userId);
      expect(res.status).toBe(200);
      return (await res.json())[0].sites.map((x: { id: string }) => x.id);
    };
    expect(await siteOf()).toMatchObject([{ id: site.cloudId, status: "accessible", lost_at: null }]);

    s.te.emulator.control.removeSite(site.cloudId);
    expect(await tokenSites()).toEqual([]);
    const lost = await siteOf();
    expect(lost).toMatchObject([{ id: site.cloudId, status: "lost" }]);
    expect(lost[0].lost_at).toBeGreaterThan(0);
    // Still lost at the next refresh: lost_at keeps the time it was first missed.
    expect(await tokenSites()).toEqual([]);
    expect((await siteOf())[0].lost_at).toBe(lost[0].lost_at);

    s.te.emulator.control.upsertSite(site);
    expect(await tokenSites()).toEqual([site.cloudId]);
    expect(await siteOf()).toMatchObject([{ id: site.cloudId, status: "accessible", lost_at: null }]);
  });
});
