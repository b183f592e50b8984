import { DEMO_IDS } from "@foyer/atlassian-emulator";
import { DB_KINDS } from "@foyer/testkit/databases";
import {
  browserRequest,
  CookieJar,
  consentAt,
  createEmulatedFoyer,
  type EmulatedFoyer,
  startSignIn,
} from "@foyer/testkit/emulated-foyer";
import { createTestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * How the sign-in callback ends when Atlassian's token endpoint refuses the code exchange in a
 * way the JSON error tables do not cover, through the real flow against the emulator.
 */
describe.each(DB_KINDS)("code exchange refused by a challenge (%s)", (kind) => {
  let foyer: EmulatedFoyer;
  let instance: { id: string };

  beforeAll(async () => {
    foyer = await createEmulatedFoyer(kind);
    instance = await createTestInstance(foyer);
  });
  afterAll(() => foyer.close());

  const users = () =>
    foyer.svc.db.kysely.selectFrom("users").selectAll().where("instance_id", "=", instance.id).execute();

  it("blames a 401 with WWW-Authenticate and no body on the client credentials, creating nothing", async () => {
    const jar = new CookieJar();
    const authorizeUrl = await startSignIn(foyer, jar, instance.id);
    const callbackUrl = await consentAt(foyer, authorizeUrl, {
      accountId: DEMO_IDS.grace,
      cloudId: DEMO_IDS.acme,
    });
    foyer.emulator.control.setFault("token_401_challenge", { count: 1 });
    try {
      const res = await browserRequest(foyer, jar, callbackUrl);
      expect(res.status).toBe(303);
      // Not oauth_provider_unavailable ("try again"): retrying cannot help until the operator acts.
      expect(res.headers.get("location")).toContain("error=oauth_invalid_client");
    } finally {
      foyer.emulator.control.clearFaults();
    }
    expect(foyer.emulator.control.counters().codeExchangeFailures).toBe(1);
    expect(foyer.logs()).toContain("Atlassian refused the Client ID or Client Secret");
    expect(await users()).toHaveLength(0);
  });
});
