/**
 * Confluence through the gateway: v2 wants granular scopes, v1 classic ones, and a dead token is
 * masked as 404 (v2) or 403 (v1) unless the setting says otherwise (atlassian-3lo §7, §11).
 */
import { APP, bearer, DEMO_IDS, signIn, startTestEmulator } from "@foyer/testkit/emulator-client";
import { afterAll, beforeEach, describe, expect, it } from "vitest";

const running = await startTestEmulator();
afterAll(() => running.close());
beforeEach(() => running.control.reset());

const WIKI = `/ex/confluence/${DEMO_IDS.acme}/wiki`;
const MISMATCH = { code: 401, message: "Unauthorized; scope does not match" };
const GRANULAR = "read:me read:space:confluence read:page:confluence";
const CLASSIC = "read:me read:confluence-space.summary read:confluence-content.summary";

async function token(scope: string) {
  return (await signIn(running, { cloudId: DEMO_IDS.acme, scope })).access_token;
}

describe("Confluence v2 and v1", () => {
  it("v2 answers granular scopes and refuses classic ones with 401 scope does not match", async () => {
    const granular = await token(GRANULAR);
    const pages = await bearer(running, `${WIKI}/api/v2/pages`, granular);
    expect(pages.status).toBe(200);
    expect(((await pages.json()) as { results: unknown[] }).results.length).toBeGreaterThan(0);
    const classic = await token(CLASSIC);
    const refused = await bearer(running, `${WIKI}/api/v2/spaces`, classic);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual(MISMATCH);
  });

  it("v1 answers classic scopes and refuses granular ones", async () => {
    const classic = await token(CLASSIC);
    const spaces = await bearer(running, `${WIKI}/rest/api/space`, classic);
    expect(spaces.status).toBe(200);
    expect(await spaces.json()).toMatchObject({
      results: expect.arrayContaining([expect.objectContaining({ key: "ENG" })]),
      start: 0,
    });
    expect((await bearer(running, `${WIKI}/rest/api/content`, classic)).status).toBe(200);
    expect(await (await bearer(running, `${WIKI}/rest/api/space`, await token(GRANULAR))).json()).toEqual(
      MISMATCH,
    );
  });

  it("v2 pages need read:page:confluence: 403 with only read:space:confluence", async () => {
    const res = await bearer(running, `${WIKI}/api/v2/pages`, await token("read:me read:space:confluence"));
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ errors: [{ status: 403, code: "FORBIDDEN" }] });
  });

  it("a Confluence scope held by the token does not apply on a Jira-only site: 403", async () => {
    running.control.upsertApp({ ...APP, accessType: "account" });
    const t = await token(`${GRANULAR} read:jira-work`);
    const res = await bearer(running, `/ex/confluence/${DEMO_IDS.globex}/wiki/api/v2/spaces`, t);
    expect(res.status).toBe(403);
  });
});

describe("expired and revoked tokens on Confluence", () => {
  it("404 on v2, 403 on v1, 401 on Jira", async () => {
    // One token holding both families, so only its expiry can be what refuses it.
    const both = await token(`${GRANULAR} ${CLASSIC} read:jira-user`);
    expect((await bearer(running, `${WIKI}/rest/api/space`, both)).status).toBe(200);
    running.control.advanceClock(3600 * 1000);
    const v2 = await bearer(running, `${WIKI}/api/v2/spaces`, both);
    expect(v2.status).toBe(404);
    expect(await v2.json()).toMatchObject({ errors: [{ status: 404, code: "NOT_FOUND" }] });
    const v1 = await bearer(running, `${WIKI}/rest/api/space`, both);
    expect(v1.status).toBe(403);
    expect(await v1.json()).toMatchObject({ statusCode: 403 });
    expect((await bearer(running, `/ex/jira/${DEMO_IDS.acme}/rest/api/3/myself`, both)).status).toBe(401);
    // A token that never existed is the gateway's 401 everywhere.
    expect((await bearer(running, `${WIKI}/api/v2/spaces`, "garbage")).status).toBe(401);
  });

  it("a revoked grant is masked the same way", async () => {
    const granular = await token(GRANULAR);
    running.control.revokeGrant(APP.clientId, DEMO_IDS.ada);
    expect((await bearer(running, `${WIKI}/api/v2/spaces`, granular)).status).toBe(404);
  });

  it("confluenceDeadToken: unauthorized gives the gateway's 401 instead", async () => {
    running.control.settings({ confluenceDeadToken: "unauthorized" });
    const granular = await token(GRANULAR);
    running.control.advanceClock(3600 * 1000);
    const res = await bearer(running, `${WIKI}/api/v2/spaces`, granular);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ code: 401, message: "Unauthorized" });
  });
});
