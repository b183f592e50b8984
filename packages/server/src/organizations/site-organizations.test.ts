/**
 * Site organizations (issue 18, item 2) against the emulator, on both databases: one
 * organization per Atlassian site by cloud id, members following the sites their grants cover,
 * a membership ended by the refresh that finds the site lost.
 */
import type { OrganizationJSON, OrganizationMembershipJSON } from "@foyer/contract";
import { DEMO_IDS, newEmulatorAccount, seedAtlassianUser } from "@foyer/testkit/atlassian-user";
import { DB_KINDS } from "@foyer/testkit/databases";
import { type GrantSuite, startGrantSuite } from "@foyer/testkit/grant-suite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FORCED_REUSE_MS } from "../tokens/stored-token.js";

describe.each(DB_KINDS)("organizations from Atlassian sites (%s)", (kind) => {
  let s: GrantSuite;
  beforeAll(async () => {
    s = await startGrantSuite(kind);
  });
  afterAll(() => s?.close());

  const api = async <T>(path: string, init: RequestInit & { json?: unknown } = {}) => {
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${s.secretKey}`);
    const res = await s.foyer.request(`/v1${path}`, { ...init, headers });
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  };
  const siteOrg = async (cloudId: string) => {
    const { data } = await api<{ data: OrganizationJSON[] }>("/organizations?limit=100");
    return data.filter((o) => o.atlassian_site?.cloud_id === cloudId);
  };
  const membersOf = async (orgId: string) =>
    (await api<{ data: OrganizationMembershipJSON[] }>(`/organizations/${orgId}/memberships?limit=100`)).data
      .map((m) => [m.public_user_data.user_id, m.role] as const)
      .sort();
  const orgsOf = async (userId: string) =>
    (await api<{ data: OrganizationMembershipJSON[] }>(`/users/${userId}/organization_memberships`)).data
      .map((m) => m.organization.atlassian_site?.cloud_id)
      .sort();
  const patch = (json: unknown) => s.foyer.platform(`/instances/${s.instanceId}`, { method: "PATCH", json });

  it("is off by default, and takes only off or auto", async () => {
    expect(
      (await (await s.foyer.platform(`/instances/${s.instanceId}`)).json()).organizations_from_sites,
    ).toBe("off");
    const { userId } = await s.seed();
    expect(await orgsOf(userId)).toEqual([]);
    expect(await siteOrg(DEMO_IDS.acme)).toEqual([]);
    expect((await patch({ organizations_from_sites: "on" })).status).toBe(422);
    const on = await patch({ organizations_from_sites: "auto" });
    expect((await on.json()).organizations_from_sites).toBe("auto");
  });

  it("puts two Acme users in one organization, a Globex user in another, a user of both in both", async () => {
    const first = await s.seed({ cloudId: DEMO_IDS.acme });
    const second = await s.seed({ cloudId: DEMO_IDS.acme });
    const globex = await s.seed({
      accountId: newEmulatorAccount(s.te, "Gil", [DEMO_IDS.globex]),
      cloudId: DEMO_IDS.globex,
    });
    const bothAccount = newEmulatorAccount(s.te, "Bo", [DEMO_IDS.acme, DEMO_IDS.globex]);
    const both = await s.seed({ accountId: bothAccount, cloudId: DEMO_IDS.acme });
    // A second consent adds Globex to the same grant.
    await seedAtlassianUser(s.foyer, s.te, {
      instanceId: s.instanceId,
      accountId: bothAccount,
      cloudId: DEMO_IDS.globex,
    });

    const [acme] = await siteOrg(DEMO_IDS.acme);
    const [globexOrg] = await siteOrg(DEMO_IDS.globex);
    expect(await siteOrg(DEMO_IDS.acme)).toHaveLength(1);
    expect(acme).toMatchObject({
      name: "Acme",
      slug: "acme",
      members_count: 3,
      atlassian_site: { cloud_id: DEMO_IDS.acme, url: "https://acme-demo.atlassian.net", name: "Acme" },
    });
    expect(globexOrg).toMatchObject({ name: "Globex", members_count: 2 });
    expect(await membersOf(acme!.id)).toEqual(
      [
        [first.userId, "org:admin"],
        [second.userId, "org:member"],
        [both.userId, "org:member"],
      ].sort(),
    );
    expect(await membersOf(globexOrg!.id)).toEqual(
      [
        [globex.userId, "org:admin"],
        [both.userId, "org:member"],
      ].sort(),
    );
    expect(await orgsOf(both.userId)).toEqual([DEMO_IDS.acme, DEMO_IDS.globex].sort());

    // Binding is by cloud id: a renamed site keeps its organization (and the organization its name).
    s.te.emulator.control.upsertSite({
      cloudId: DEMO_IDS.acme,
      name: "Acme Renamed",
      url: "https://acme-demo.atlassian.net",
      products: ["jira", "confluence"],
    });
    await s.seed({ cloudId: DEMO_IDS.acme });
    const renamed = await siteOrg(DEMO_IDS.acme);
    expect(renamed).toHaveLength(1);
    expect(renamed[0]).toMatchObject({
      id: acme!.id,
      name: "Acme",
      members_count: 4,
      atlassian_site: { name: "Acme Renamed" },
    });
    s.te.emulator.control.upsertSite({
      cloudId: DEMO_IDS.acme,
      name: "Acme",
      url: "https://acme-demo.atlassian.net",
      products: ["jira", "confluence"],
    });
  });

  it("ends the Acme membership at the refresh that finds Acme lost, and keeps memberships the API made", async () => {
    const accountId = newEmulatorAccount(s.te, "Lu", [DEMO_IDS.acme, DEMO_IDS.globex]);
    const user = await s.seed({ accountId, cloudId: DEMO_IDS.acme });
    await seedAtlassianUser(s.foyer, s.te, { instanceId: s.instanceId, accountId, cloudId: DEMO_IDS.globex });
    expect(await orgsOf(user.userId)).toEqual([DEMO_IDS.acme, DEMO_IDS.globex].sort());
    const [acme] = await siteOrg(DEMO_IDS.acme);
    const before = acme!.members_count;
    // A Globex-only user the app added to Acme itself: site access did not make it, so does not end it.
    const guest = await s.seed({
      accountId: newEmulatorAccount(s.te, "Guest", [DEMO_IDS.globex]),
      cloudId: DEMO_IDS.globex,
    });
    await api(`/organizations/${acme!.id}/memberships`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user_id: guest.userId, role: "org:member" }),
    });

    s.te.emulator.control.revokeSiteAccess(accountId, DEMO_IDS.acme);
    // Nothing changes before Foyer looks again.
    expect(await orgsOf(user.userId)).toEqual([DEMO_IDS.acme, DEMO_IDS.globex].sort());
    s.foyer.advance(FORCED_REUSE_MS);
    expect((await s.forceRefresh(user.userId)).status).toBe(200);
    expect(await orgsOf(user.userId)).toEqual([DEMO_IDS.globex]);
    expect((await siteOrg(DEMO_IDS.acme))[0]!.members_count).toBe(before); // -1 Lu, +1 guest

    s.foyer.advance(FORCED_REUSE_MS);
    expect((await s.forceRefresh(guest.userId)).status).toBe(200);
    expect(await orgsOf(guest.userId)).toEqual([DEMO_IDS.acme, DEMO_IDS.globex].sort());
  });

  it("makes organizations only for allowed sites when the instance has an allow-list", async () => {
    expect((await patch({ allowed_atlassian_sites: [DEMO_IDS.globex] })).status).toBe(200);
    const accountId = newEmulatorAccount(s.te, "Al", [DEMO_IDS.acme, DEMO_IDS.globex]);
    const user = await s.seed({ accountId, cloudId: DEMO_IDS.acme });
    await seedAtlassianUser(s.foyer, s.te, { instanceId: s.instanceId, accountId, cloudId: DEMO_IDS.globex });
    expect(await orgsOf(user.userId)).toEqual([DEMO_IDS.globex]);
    expect((await patch({ allowed_atlassian_sites: [] })).status).toBe(200);
  });

  it("answers the Atlassian token for one organization's site only, when asked", async () => {
    const accountId = newEmulatorAccount(s.te, "Oz", [DEMO_IDS.acme, DEMO_IDS.globex]);
    const user = await s.seed({ accountId, cloudId: DEMO_IDS.acme });
    await seedAtlassianUser(s.foyer, s.te, { instanceId: s.instanceId, accountId, cloudId: DEMO_IDS.globex });
    const [acme] = await siteOrg(DEMO_IDS.acme);
    const token = (query: string) =>
      s.foyer.request(`/v1/users/${user.userId}/oauth_access_tokens/oauth_atlassian${query}`, {
        headers: { authorization: `Bearer ${s.secretKey}` },
      });
    const sitesOf = async (res: Response) => {
      expect(res.status).toBe(200);
      return ((await res.json()) as Array<{ sites: Array<{ cloud_id: string }> }>).map((i) =>
        i.sites.map((x) => x.cloud_id).sort(),
      );
    };
    expect(await sitesOf(await token(""))).toEqual([[DEMO_IDS.acme, DEMO_IDS.globex].sort()]);
    expect(await sitesOf(await token(`?organization_id=${acme!.id}`))).toEqual([[DEMO_IDS.acme]]);
    // A user whose grant does not reach the site gets no token for it.
    const gil = await s.seed({
      accountId: newEmulatorAccount(s.te, "Gil", [DEMO_IDS.globex]),
      cloudId: DEMO_IDS.globex,
    });
    const none = await s.foyer.request(
      `/v1/users/${gil.userId}/oauth_access_tokens/oauth_atlassian?organization_id=${acme!.id}`,
      { headers: { authorization: `Bearer ${s.secretKey}` } },
    );
    expect(await none.json()).toEqual([]);

    const plain = await api<{ id: string }>("/organizations", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "No site" }),
    });
    const notSite = await token(`?organization_id=${plain.id}`);
    expect(notSite.status).toBe(400);
    expect((await notSite.json()).errors[0]).toMatchObject({
      code: "query_param_invalid",
      meta: { param_name: "organization_id" },
    });
    const unknown = await token("?organization_id=org_nothere");
    expect(unknown.status).toBe(404);
  });
});
