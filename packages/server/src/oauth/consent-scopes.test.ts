import { DEMO_IDS } from "@foyer/atlassian-emulator";
import { DB_KINDS } from "@foyer/testkit/databases";
import {
  browserRequest,
  CookieJar,
  consentAt,
  createEmulatedFoyer,
  type EmulatedFoyer,
  signInFlow,
} from "@foyer/testkit/emulated-foyer";
import { createTestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * Atlassian replaces a grant's scopes at each consent (atlassian-3lo §11), and accumulates its
 * sites per Atlassian app. These tests hold Foyer to both: a sign-in never takes away what an
 * earlier consent granted, and the site a consent added is the one the user picked.
 */
describe.each(DB_KINDS)("Consent scopes and sites (%s)", (kind) => {
  let foyer: EmulatedFoyer;
  let instanceId: string;
  const app = "https://app.example.com";

  beforeAll(async () => {
    foyer = await createEmulatedFoyer(kind);
    instanceId = (await createTestInstance(foyer, { allowedOrigins: [app] })).id;
  });
  afterAll(() => foyer.close());

  const account = (accountId: string, instance = instanceId) =>
    foyer.svc.db.kysely
      .selectFrom("external_accounts")
      .selectAll()
      .where("provider_user_id", "=", accountId)
      .where("instance_id", "=", instance)
      .executeTakeFirstOrThrow();

  async function addJiraWork(jar: CookieJar, cloudId: string) {
    const res = await browserRequest(foyer, jar, `/fapi/${instanceId}/v1/me/external_accounts`, {
      method: "POST",
      json: {
        strategy: "oauth_atlassian",
        redirect_url: `${app}/home`,
        additional_scopes: ["read:jira-work"],
      },
    });
    const url = (await res.json()).response.verification.external_verification_redirect_url as string;
    await browserRequest(foyer, jar, await consentAt(foyer, url, { accountId: DEMO_IDS.grace, cloudId }));
  }

  it("a sign-in after connect keeps read:jira-work: the same browser asks for the union", async () => {
    const jar = new CookieJar();
    await signInFlow(foyer, jar, instanceId, { accountId: DEMO_IDS.grace, cloudId: DEMO_IDS.acme });
    await addJiraWork(jar, DEMO_IDS.acme);
    expect((await account(DEMO_IDS.grace)).approved_scopes.split(" ")).toContain("read:jira-work");

    // Sign out, then sign in again from the same browser with the connection's default scopes.
    await browserRequest(foyer, jar, `/fapi/${instanceId}/v1/client/sessions`, { method: "DELETE" });
    const again = await signInFlow(foyer, jar, instanceId, {
      accountId: DEMO_IDS.grace,
      cloudId: DEMO_IDS.acme,
    });
    expect(new URL(again.authorizeUrl).searchParams.get("scope")?.split(" ")).toContain("read:jira-work");
    expect((await account(DEMO_IDS.grace)).approved_scopes.split(" ")).toContain("read:jira-work");
  });

  it("a sign-in from an unknown browser that narrowed the grant is followed by a consent for the rest", async () => {
    const fresh = new CookieJar();
    const flow = await signInFlow(
      foyer,
      fresh,
      instanceId,
      { accountId: DEMO_IDS.grace, cloudId: DEMO_IDS.acme },
      { redirectUrl: `${app}/home` },
    );
    // Nothing in this browser told Foyer who would sign in: the consent asked for less.
    expect(new URL(flow.authorizeUrl).searchParams.get("scope")?.split(" ")).not.toContain("read:jira-work");
    // Signed in, and sent straight to Atlassian again for the scopes the grant just lost.
    expect(fresh.get("__client")).toBeTruthy();
    const stepUp = new URL(flow.location!);
    expect(stepUp.origin).toBe(new URL(foyer.emulator.authUrl).origin);
    expect(stepUp.searchParams.get("scope")?.split(" ")).toContain("read:jira-work");
    const done = await browserRequest(
      foyer,
      fresh,
      await consentAt(foyer, stepUp.href, { accountId: DEMO_IDS.grace, cloudId: DEMO_IDS.acme }),
    );
    expect(done.headers.get("location")).toBe(`${app}/home`);
    expect((await account(DEMO_IDS.grace)).approved_scopes.split(" ")).toContain("read:jira-work");
  });

  it("names the site this consent picked, judged against every instance on the same Atlassian app", async () => {
    // Ada picks Acme in one development instance, then Globex when signing in to another: the
    // grant (one per Atlassian app, shared by development instances) now lists both.
    const other = (await createTestInstance(foyer)).id;
    await signInFlow(foyer, new CookieJar(), other, { accountId: DEMO_IDS.ada, cloudId: DEMO_IDS.acme });
    await signInFlow(foyer, new CookieJar(), instanceId, {
      accountId: DEMO_IDS.ada,
      cloudId: DEMO_IDS.globex,
    });
    const ada = await account(DEMO_IDS.ada);
    expect(
      JSON.parse(ada.sites)
        .map((s: { id: string }) => s.id)
        .sort(),
    ).toEqual([DEMO_IDS.acme, DEMO_IDS.globex].sort());
    expect(ada.last_added_site_id).toBe(DEMO_IDS.globex);
    const user = await (
      await foyer.request(`/v1/users/${ada.user_id}`, {
        headers: { authorization: `Bearer ${(await createKey(instanceId)).key}` },
      })
    ).json();
    expect(user.external_accounts[0].label).toBe("Globex");

    // A consent that adds no site leaves the picked site as it was.
    await signInFlow(foyer, new CookieJar(), instanceId, { accountId: DEMO_IDS.ada, cloudId: DEMO_IDS.acme });
    expect((await account(DEMO_IDS.ada)).last_added_site_id).toBe(DEMO_IDS.globex);
  });

  async function createKey(id: string): Promise<{ key: string }> {
    const keys = await (await foyer.platform(`/instances/${id}/secret_keys`)).json();
    return { key: keys.data[0].key };
  }
});
