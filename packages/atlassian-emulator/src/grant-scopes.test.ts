/**
 * A new consent REPLACES the grant's scopes (atlassian-3lo §11 [H]), and accessible-resources
 * lists per site only the scopes of the products that site hosts.
 */
import {
  APP,
  bearer,
  DEMO_IDS,
  postToken,
  refreshWith,
  signIn,
  startTestEmulator,
} from "@foyer/testkit/emulator-client";
import { afterAll, beforeEach, describe, expect, it } from "vitest";

const running = await startTestEmulator();
afterAll(() => running.close());
beforeEach(() => running.control.reset());

const WIDE = "read:me read:jira-user read:jira-work offline_access";
const NARROW = "read:me read:jira-user offline_access";

describe("a second consent replaces the grant's scopes", () => {
  it("narrows the token answer, refreshes from the earlier family, and earlier access tokens", async () => {
    const first = await signIn(running, { cloudId: DEMO_IDS.acme, scope: WIDE });
    const second = await signIn(running, { cloudId: DEMO_IDS.acme, scope: NARROW });
    expect(second.scope).toBe(NARROW);
    expect(running.control.grants()[0]!.scopes).toEqual(NARROW.split(" "));

    // The family minted under the wide consent now refreshes to the narrow set.
    const refreshed = await refreshWith(running, first.refresh_token!);
    expect(refreshed.scope).toBe(NARROW);

    // The old access token was minted with read:jira-work; the grant no longer holds it.
    const search = await bearer(
      running,
      `/ex/jira/${DEMO_IDS.acme}/rest/api/3/search/jql?jql=project%20%3D%20DEMO`,
      first.access_token,
    );
    expect(search.status).toBe(403);
    const resources = await bearer(running, "/oauth/token/accessible-resources", first.access_token);
    expect(await resources.json()).toEqual([expect.objectContaining({ scopes: ["read:jira-user"] })]);
  });

  it("a consent without offline_access ends refreshing for the earlier family", async () => {
    const first = await signIn(running, { cloudId: DEMO_IDS.acme, scope: WIDE });
    await signIn(running, { cloudId: DEMO_IDS.acme, scope: "read:me read:jira-user" });
    const res = await postToken(running, {
      grant_type: "refresh_token",
      client_id: APP.clientId,
      client_secret: APP.clientSecret,
      refresh_token: first.refresh_token!,
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: "invalid_grant" });
  });
});

describe("per-site scopes in accessible-resources", () => {
  it("lists Jira scopes on a Jira site and Confluence scopes only where Confluence is hosted", async () => {
    running.control.upsertApp({ ...APP, accessType: "account" });
    const tokens = await signIn(running, { scope: "read:me read:jira-work read:space:confluence" });
    const res = await bearer(running, "/oauth/token/accessible-resources", tokens.access_token);
    const byId = Object.fromEntries(
      ((await res.json()) as { id: string; scopes: string[] }[]).map((r) => [r.id, r.scopes.sort()]),
    );
    expect(byId).toEqual({
      [DEMO_IDS.acme]: ["read:jira-work", "read:space:confluence"],
      [DEMO_IDS.globex]: ["read:jira-work"],
    });
  });
});
