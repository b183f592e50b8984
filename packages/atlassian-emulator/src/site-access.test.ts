/**
 * Per-account site access: removing a user from a site takes it out of accessible-resources and
 * the gateway for that user's tokens while the grant keeps it; adding them back restores both.
 */
import { APP, bearer, DEMO_IDS, signIn, startTestEmulator } from "@foyer/testkit/emulator-client";
import { afterAll, beforeEach, describe, expect, it } from "vitest";

const running = await startTestEmulator();
afterAll(() => running.close());
beforeEach(() => running.control.reset());

const SCOPE = "read:me read:jira-user read:space:confluence offline_access";

async function siteIds(accessToken: string): Promise<string[]> {
  const res = await bearer(running, "/oauth/token/accessible-resources", accessToken);
  return ((await res.json()) as { id: string }[]).map((r) => r.id).sort();
}

const jira = (cloudId: string, t: string) => bearer(running, `/ex/jira/${cloudId}/rest/api/3/myself`, t);
const wiki = (cloudId: string, t: string) =>
  bearer(running, `/ex/confluence/${cloudId}/wiki/api/v2/spaces`, t);

describe("one account's access to one site", () => {
  it("is revoked and restored through the control object, the grant keeping the site", async () => {
    const { access_token: t } = await signIn(running, { cloudId: DEMO_IDS.acme, scope: SCOPE });
    await signIn(running, { cloudId: DEMO_IDS.globex, scope: SCOPE });
    const grace = (await signIn(running, { accountId: DEMO_IDS.grace, cloudId: DEMO_IDS.acme, scope: SCOPE }))
      .access_token;

    running.control.revokeSiteAccess(DEMO_IDS.ada, DEMO_IDS.acme);
    expect(await siteIds(t)).toEqual([DEMO_IDS.globex]);
    expect((await jira(DEMO_IDS.acme, t)).status).toBe(401);
    expect((await wiki(DEMO_IDS.acme, t)).status).toBe(401);
    expect((await jira(DEMO_IDS.globex, t)).status).toBe(200);
    // Only Ada lost Acme; Grace's token still reaches it.
    expect((await jira(DEMO_IDS.acme, grace)).status).toBe(200);
    expect(running.control.grants().find((g) => g.accountId === DEMO_IDS.ada)?.cloudIds).toContain(
      DEMO_IDS.acme,
    );

    running.control.restoreSiteAccess(DEMO_IDS.ada, DEMO_IDS.acme);
    expect(await siteIds(t)).toEqual([DEMO_IDS.acme, DEMO_IDS.globex].sort());
    expect((await jira(DEMO_IDS.acme, t)).status).toBe(200);
    expect((await wiki(DEMO_IDS.acme, t)).status).toBe(200);
  });

  it("is revoked and restored over the control API", async () => {
    const { access_token: t } = await signIn(running, { cloudId: DEMO_IDS.acme, scope: SCOPE });
    const path = `${running.controlUrl}/accounts/${encodeURIComponent(DEMO_IDS.ada)}/sites/${DEMO_IDS.acme}`;
    expect((await fetch(path, { method: "DELETE" })).status).toBe(200);
    expect(await siteIds(t)).toEqual([]);
    expect((await jira(DEMO_IDS.acme, t)).status).toBe(401);
    expect((await fetch(path, { method: "PUT" })).status).toBe(200);
    expect(await siteIds(t)).toEqual([DEMO_IDS.acme]);
    expect((await jira(DEMO_IDS.acme, t)).status).toBe(200);
  });

  it("answers 404 for an unknown account or site", async () => {
    const unknownSite = await fetch(
      `${running.controlUrl}/accounts/${encodeURIComponent(DEMO_IDS.ada)}/sites/nope`,
      {
        method: "PUT",
      },
    );
    expect(unknownSite.status).toBe(404);
    expect(await unknownSite.json()).toMatchObject({ error: "unknown_site" });
    const unknownAccount = await fetch(`${running.controlUrl}/accounts/nobody/sites/${DEMO_IDS.acme}`, {
      method: "DELETE",
    });
    expect(await unknownAccount.json()).toMatchObject({ error: "unknown_account" });
    expect(() => running.control.revokeSiteAccess("nobody", DEMO_IDS.acme)).toThrow(/nobody/);
  });

  it("a removed user keeps a live grant: refresh still works and sees the site come back", async () => {
    const first = await signIn(running, { cloudId: DEMO_IDS.acme, scope: SCOPE });
    running.control.revokeSiteAccess(DEMO_IDS.ada, DEMO_IDS.acme);
    expect(running.control.grants()).toEqual([
      expect.objectContaining({ clientId: APP.clientId, revoked: false }),
    ]);
    running.control.restoreSiteAccess(DEMO_IDS.ada, DEMO_IDS.acme);
    expect(await siteIds(first.access_token)).toEqual([DEMO_IDS.acme]);
  });
});
