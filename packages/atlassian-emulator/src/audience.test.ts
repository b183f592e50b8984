/**
 * `audience=api.atlassian.com` on /authorize: without it Atlassian still issues a code and
 * tokens, but the API refuses them (atlassian-3lo §11 [H]; ContextForge S38).
 */
import { bearer, DEMO_IDS, refreshWith, signIn, startTestEmulator } from "@foyer/testkit/emulator-client";
import { afterAll, beforeEach, describe, expect, it } from "vitest";

const running = await startTestEmulator();
afterAll(() => running.close());
beforeEach(() => running.control.reset());

const UNAUTHORIZED = { code: 401, message: "Unauthorized" };

async function expectRefusedEverywhere(accessToken: string) {
  for (const path of [
    "/me",
    "/oauth/token/accessible-resources",
    `/ex/jira/${DEMO_IDS.acme}/rest/api/3/myself`,
    `/ex/confluence/${DEMO_IDS.acme}/wiki/api/v2/spaces`,
  ]) {
    const res = await bearer(running, path, accessToken);
    expect(res.status, path).toBe(401);
    expect(await res.json()).toEqual(UNAUTHORIZED);
  }
}

describe("tokens from an /authorize without audience", () => {
  it("are issued, but /me, accessible-resources and the gateway answer 401", async () => {
    const tokens = await signIn(running, { cloudId: DEMO_IDS.acme, authorize: { audience: undefined } });
    expect(tokens.access_token).toBeTruthy();
    await expectRefusedEverywhere(tokens.access_token);
    // Refreshing does not repair them: the family carries the missing audience along.
    await expectRefusedEverywhere((await refreshWith(running, tokens.refresh_token!)).access_token);
  });

  it("another audience is refused the same way", async () => {
    const tokens = await signIn(running, { cloudId: DEMO_IDS.acme, authorize: { audience: "example.com" } });
    await expectRefusedEverywhere(tokens.access_token);
  });

  it("with the audience the same sign-in works", async () => {
    const tokens = await signIn(running, { cloudId: DEMO_IDS.acme });
    expect((await bearer(running, "/me", tokens.access_token)).status).toBe(200);
  });
});
