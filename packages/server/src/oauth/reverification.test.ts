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
 * Linking a NEW Atlassian account to a user needs a sign-in within the instance's
 * `reverification_max_age_seconds` (default 600); reconnecting an account the user has does not.
 * Time moves with the test clock (Services.now), never by sleeping.
 */
describe.each(DB_KINDS)("Re-verification before linking a new Atlassian account (%s)", (kind) => {
  let foyer: EmulatedFoyer;
  let instanceId: string;
  const app = "https://app.example.com";

  beforeAll(async () => {
    foyer = await createEmulatedFoyer(kind);
    instanceId = (await createTestInstance(foyer, { allowedOrigins: [app] })).id;
  });
  afterAll(() => foyer.close());

  const accountsOf = async (accountId: string) =>
    foyer.svc.db.kysely
      .selectFrom("external_accounts")
      .select(["user_id", "token_version"])
      .where("provider_user_id", "=", accountId)
      .execute();

  async function connectAs(jar: CookieJar, accountId: string): Promise<string | null> {
    const res = await browserRequest(foyer, jar, `/fapi/${instanceId}/v1/me/external_accounts`, {
      method: "POST",
      json: { strategy: "oauth_atlassian", redirect_url: `${app}/settings` },
    });
    expect(res.status).toBe(200);
    const url = (await res.json()).response.verification.external_verification_redirect_url as string;
    const done = await browserRequest(
      foyer,
      jar,
      await consentAt(foyer, url, { accountId, cloudId: DEMO_IDS.acme }),
    );
    return done.headers.get("location");
  }

  it("refuses a new account on a sign-in older than 10 minutes, but reconnects the same account", async () => {
    const ada = new CookieJar();
    await signInFlow(foyer, ada, instanceId, { accountId: DEMO_IDS.ada, cloudId: DEMO_IDS.acme });
    foyer.advance(11 * 60 * 1000);

    expect(await connectAs(ada, DEMO_IDS.grace)).toBe(`${app}/settings?foyer_error=reverification_required`);
    expect(await accountsOf(DEMO_IDS.grace)).toEqual([]);

    const before = (await accountsOf(DEMO_IDS.ada))[0]!;
    expect(await connectAs(ada, DEMO_IDS.ada)).toBe(`${app}/settings`);
    expect((await accountsOf(DEMO_IDS.ada))[0]!.token_version).toBeGreaterThan(before.token_version);
  });

  it("links a new account within the window, and follows the instance's setting", async () => {
    const patch = await foyer.platform(`/instances/${instanceId}`, {
      method: "PATCH",
      json: { reverification_max_age_seconds: 3600 },
    });
    expect(patch.status).toBe(200);
    expect((await patch.json()).reverification_max_age_seconds).toBe(3600);

    const ada = new CookieJar();
    await signInFlow(foyer, ada, instanceId, { accountId: DEMO_IDS.ada, cloudId: DEMO_IDS.acme });
    const adaUser = (await accountsOf(DEMO_IDS.ada))[0]!.user_id;
    // 30 minutes: past the default, within this instance's hour.
    foyer.advance(30 * 60 * 1000);
    expect(await connectAs(ada, DEMO_IDS.grace)).toBe(`${app}/settings`);
    expect((await accountsOf(DEMO_IDS.grace)).map((a) => a.user_id)).toEqual([adaUser]);

    const bad = await foyer.platform(`/instances/${instanceId}`, {
      method: "PATCH",
      json: { reverification_max_age_seconds: 5 },
    });
    expect(bad.status).toBe(422);
  });
});
