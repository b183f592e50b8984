import { APP, bearer, DEMO_IDS, signIn, startTestEmulator } from "@foyer/testkit/emulator-client";
import { afterAll, beforeEach, describe, expect, it } from "vitest";

const running = await startTestEmulator();
afterAll(() => running.close());
beforeEach(() => running.control.reset());

const MISMATCH = { code: 401, message: "Unauthorized; scope does not match" };

describe("product calls through /ex/{product}/{cloudid}", () => {
  it("Jira myself and the enhanced search answer for a granted site", async () => {
    const tokens = await signIn(running, { cloudId: DEMO_IDS.acme });
    const myself = await bearer(running, `/ex/jira/${DEMO_IDS.acme}/rest/api/3/myself`, tokens.access_token);
    expect(myself.status).toBe(200);
    expect(await myself.json()).toMatchObject({ accountId: DEMO_IDS.ada, displayName: "Ada Lovelace" });

    const jql = await bearer(
      running,
      `/ex/jira/${DEMO_IDS.acme}/rest/api/3/search/jql?jql=project%20%3D%20DEMO%20order%20by%20key&fields=*all`,
      tokens.access_token,
    );
    const body = (await jql.json()) as { issues: { key: string; fields: { summary: string } }[] };
    expect(body.issues.map((i) => i.key)).toEqual(["DEMO-1", "DEMO-2", "DEMO-3"]);
    expect(body.issues[0]!.fields).toMatchObject({
      status: { name: "Done" },
      assignee: { accountId: DEMO_IDS.ada },
    });
    expect(running.control.counters().productCalls).toBe(2);
  });

  it("refuses a cloudid outside the grant", async () => {
    const tokens = await signIn(running, { cloudId: DEMO_IDS.acme });
    const res = await bearer(running, `/ex/jira/${DEMO_IDS.globex}/rest/api/3/myself`, tokens.access_token);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual(MISMATCH);
  });

  it("refuses a token without the operation's scope (403) or without any scope of the API (401)", async () => {
    const tokens = await signIn(running, { cloudId: DEMO_IDS.acme, scope: "read:me read:jira-user" });
    expect(
      (await bearer(running, `/ex/jira/${DEMO_IDS.acme}/rest/api/3/myself`, tokens.access_token)).status,
    ).toBe(200);
    const search = await bearer(
      running,
      `/ex/jira/${DEMO_IDS.acme}/rest/api/3/search/jql?jql=project%20%3D%20DEMO`,
      tokens.access_token,
    );
    expect(search.status).toBe(403);
    expect(await search.json()).toMatchObject({ errorMessages: [expect.stringContaining("read:jira-work")] });
    const spaces = await bearer(
      running,
      `/ex/confluence/${DEMO_IDS.acme}/wiki/api/v2/spaces`,
      tokens.access_token,
    );
    expect(spaces.status).toBe(401);
  });

  it("Confluence spaces need a Confluence scope", async () => {
    const tokens = await signIn(running, { cloudId: DEMO_IDS.acme, scope: "read:me read:space:confluence" });
    const res = await bearer(
      running,
      `/ex/confluence/${DEMO_IDS.acme}/wiki/api/v2/spaces`,
      tokens.access_token,
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { results: { key: string }[] };
    expect(body.results.map((s) => s.key)).toContain("ENG");
  });

  it("401 Unauthorized without a valid token, and after the grant is revoked", async () => {
    const tokens = await signIn(running, { cloudId: DEMO_IDS.acme });
    const path = `/ex/jira/${DEMO_IDS.acme}/rest/api/3/myself`;
    expect(await (await bearer(running, path, "bogus")).json()).toEqual({
      code: 401,
      message: "Unauthorized",
    });
    running.control.revokeGrant(APP.clientId, DEMO_IDS.ada);
    expect((await bearer(running, path, tokens.access_token)).status).toBe(401);
  });

  it("answers CORS preflights on the API host", async () => {
    const res = await fetch(`${running.apiUrl}/me`, {
      method: "OPTIONS",
      headers: { Origin: "http://localhost:3000", "Access-Control-Request-Method": "GET" },
    });
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
  });
});
