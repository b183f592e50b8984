/** The token endpoint on users made by the real sign-in flow (hosted flow, callback), not by seeding. */

import { DEMO_IDS } from "@foyer/atlassian-emulator";
import { DB_KINDS } from "@foyer/testkit/databases";
import {
  CookieJar,
  createEmulatedFoyer,
  type EmulatedFoyer,
  signInFlow,
} from "@foyer/testkit/emulated-foyer";
import { createTestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe.each(DB_KINDS)("tokens of a user who signed in with Atlassian (%s)", (kind) => {
  let foyer: EmulatedFoyer;
  beforeAll(async () => {
    foyer = await createEmulatedFoyer(kind, { emulatorSettings: { refreshLeewaySeconds: 0 } });
  });
  afterAll(() => foyer?.close());

  it("hands out the sign-in's token, then a refreshed one after an hour", async () => {
    const { id, secretKey } = await createTestInstance(foyer);
    const flow = await signInFlow(foyer, new CookieJar(), id, {
      accountId: DEMO_IDS.ada,
      cloudId: DEMO_IDS.acme,
    });
    expect(flow.callback.status).toBe(303);
    const auth = { authorization: `Bearer ${secretKey}` };
    const [user] = await (await foyer.request("/v1/users", { headers: auth })).json();
    const path = `/v1/users/${user.id}/oauth_access_tokens/oauth_atlassian`;

    const first = await (await foyer.request(path, { headers: auth })).json();
    expect(first[0].sites.map((s: { id: string }) => s.id)).toContain(DEMO_IDS.acme);
    foyer.emulator.control.resetCounters();
    foyer.advance(3600_000);
    const second = await (await foyer.request(path, { headers: auth })).json();
    expect(second[0].token).not.toBe(first[0].token);
    expect(foyer.emulator.control.counters().refreshes).toBe(1);
    const jira = await fetch(`${second[0].sites[0].api_base_urls.jira}/rest/api/3/myself`, {
      headers: { authorization: `Bearer ${second[0].token}` },
    });
    expect(jira.status).toBe(200);
  });
});
