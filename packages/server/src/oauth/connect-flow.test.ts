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

describe.each(DB_KINDS)("Connect, reauthorize and add scopes (%s)", (kind) => {
  let foyer: EmulatedFoyer;
  let instanceId: string;
  const app = "https://app.example.com";
  const ada = new CookieJar();
  const grace = new CookieJar();

  beforeAll(async () => {
    foyer = await createEmulatedFoyer(kind);
    instanceId = (await createTestInstance(foyer)).id;
    await foyer.platform(`/instances/${instanceId}`, { method: "PATCH", json: { allowed_origins: [app] } });
    await signInFlow(foyer, ada, instanceId, { accountId: DEMO_IDS.ada, cloudId: DEMO_IDS.acme });
    await signInFlow(foyer, grace, instanceId, { accountId: DEMO_IDS.grace, cloudId: DEMO_IDS.acme });
  });
  afterAll(() => foyer.close());

  const account = (accountId: string) =>
    foyer.svc.db.kysely
      .selectFrom("external_accounts")
      .selectAll()
      .where("provider_user_id", "=", accountId)
      .executeTakeFirstOrThrow();

  async function connect(jar: CookieJar, body: Record<string, unknown>) {
    return browserRequest(foyer, jar, `/fapi/${instanceId}/v1/me/external_accounts`, {
      method: "POST",
      json: { strategy: "oauth_atlassian", redirect_url: `${app}/settings`, ...body },
    });
  }

  it("adds a scope and a site to the same external account", async () => {
    const before = await account(DEMO_IDS.ada);
    const res = await connect(ada, { additional_scopes: ["read:jira-work"] });
    expect(res.status).toBe(200);
    const url = (await res.json()).response.verification.external_verification_redirect_url as string;
    expect(new URL(url).searchParams.get("scope")).toBe(
      "read:me read:jira-user offline_access read:jira-work",
    );
    const callback = await consentAt(foyer, url, { accountId: DEMO_IDS.ada, cloudId: DEMO_IDS.globex });
    const done = await browserRequest(foyer, ada, callback);
    expect(done.headers.get("location")).toBe(`${app}/settings`);

    const after = await account(DEMO_IDS.ada);
    expect(after.id).toBe(before.id);
    expect(after.user_id).toBe(before.user_id);
    expect(after.approved_scopes.split(" ")).toContain("read:jira-work");
    expect(
      JSON.parse(after.sites)
        .map((s: { id: string }) => s.id)
        .sort(),
    ).toEqual([DEMO_IDS.acme, DEMO_IDS.globex].sort());
    expect(after.last_added_site_id).toBe(DEMO_IDS.globex);
    expect(after.token_version).toBeGreaterThan(before.token_version);
  });

  it("brings a grant that needs reauthorization back to active", async () => {
    await foyer.svc.db.kysely
      .updateTable("external_accounts")
      .set({ status: "reauthorization_required" })
      .where("provider_user_id", "=", DEMO_IDS.ada)
      .execute();
    const res = await connect(ada, {});
    const url = (await res.json()).response.verification.external_verification_redirect_url as string;
    await browserRequest(
      foyer,
      ada,
      await consentAt(foyer, url, { accountId: DEMO_IDS.ada, cloudId: DEMO_IDS.acme }),
    );
    expect((await account(DEMO_IDS.ada)).status).toBe("active");
  });

  it("refuses to connect an Atlassian account already linked to another user", async () => {
    const adaBefore = await account(DEMO_IDS.ada);
    const res = await connect(grace, {});
    const url = (await res.json()).response.verification.external_verification_redirect_url as string;
    const done = await browserRequest(
      foyer,
      grace,
      await consentAt(foyer, url, { accountId: DEMO_IDS.ada, cloudId: DEMO_IDS.acme }),
    );
    expect(done.headers.get("location")).toBe(`${app}/settings?foyer_error=external_account_exists`);
    const adaAfter = await account(DEMO_IDS.ada);
    expect(adaAfter.user_id).toBe(adaBefore.user_id);
    expect(adaAfter.token_version).toBe(adaBefore.token_version);
  });

  it("needs the user's live session and never takes a user id from the request", async () => {
    const anonymous = await connect(new CookieJar(), {});
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).errors[0].code).toBe("client_not_found");
    const smuggled = await connect(grace, { user_id: "user_someone_else" });
    expect(smuggled.status).toBe(422);
    expect((await smuggled.json()).errors[0].code).toBe("form_param_unknown");
  });

  it("refuses a connect whose session ended before Atlassian answered", async () => {
    const jar = new CookieJar();
    await signInFlow(foyer, jar, instanceId, { accountId: DEMO_IDS.grace, cloudId: DEMO_IDS.acme });
    const res = await connect(jar, { additional_scopes: ["read:jira-work"] });
    const url = (await res.json()).response.verification.external_verification_redirect_url as string;
    const callback = await consentAt(foyer, url, { accountId: DEMO_IDS.grace, cloudId: DEMO_IDS.acme });
    await foyer.svc.db.kysely.updateTable("sessions").set({ status: "revoked" }).execute();
    const done = await browserRequest(foyer, jar, callback);
    expect(done.headers.get("location")).toContain("foyer_error=session_inactive");
    expect((await account(DEMO_IDS.grace)).approved_scopes.split(" ")).not.toContain("read:jira-work");
  });
});
