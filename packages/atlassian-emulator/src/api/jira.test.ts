/**
 * Jira through the gateway, as strict as Jira Cloud (atlassian-3lo §11): the removed search, the
 * enhanced search's paging, fields and bounded-JQL rule, and /myself's scope.
 */
import { bearer, DEMO_IDS, signIn, startTestEmulator } from "@foyer/testkit/emulator-client";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { ISSUE_NOT_FOUND_MESSAGE } from "./jira.js";
import { UNBOUNDED_MESSAGE } from "./jql.js";

const running = await startTestEmulator();
afterAll(() => running.close());
beforeEach(() => running.control.reset());

const JIRA = `/ex/jira/${DEMO_IDS.acme}/rest/api/3`;

async function token(scope = "read:me read:jira-work read:jira-user") {
  return (await signIn(running, { cloudId: DEMO_IDS.acme, scope })).access_token;
}

function get(path: string, accessToken: string) {
  return bearer(running, `${JIRA}${path}`, accessToken);
}

function post(path: string, accessToken: string, body: unknown) {
  return fetch(`${running.apiUrl}${JIRA}${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${accessToken}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

const jql = (query: string, extra: Record<string, string> = {}) =>
  `/search/jql?${new URLSearchParams({ jql: query, ...extra })}`;

describe("the removed /rest/api/3/search", () => {
  it("answers 410 with Jira's error body to GET and POST", async () => {
    const t = await token();
    for (const res of [
      await get("/search?jql=project%3DDEMO", t),
      await post("/search", t, { jql: "project = DEMO" }),
    ]) {
      expect(res.status).toBe(410);
      expect(await res.json()).toEqual({
        errorMessages: [expect.stringContaining("/rest/api/3/search/jql")],
        errors: {},
      });
    }
  });
});

describe("/rest/api/3/search/jql", () => {
  it("returns only issue ids unless fields are asked for, and no total", async () => {
    const t = await token();
    const bare = (await (await get(jql("assignee = currentUser() ORDER BY key"), t)).json()) as Record<
      string,
      unknown
    >;
    expect(bare).toEqual({ issues: [{ id: "10001" }, { id: "10002" }, { id: "10003" }], isLast: true });

    const res = await get(
      jql("assignee = currentUser() ORDER BY updated DESC", { fields: "summary,status" }),
      t,
    );
    const body = (await res.json()) as { issues: { key: string; fields: Record<string, unknown> }[] };
    expect(body.issues.map((i) => i.key)).toEqual(["DEMO-3", "DEMO-2", "DEMO-1"]);
    expect(Object.keys(body.issues[0]!.fields).sort()).toEqual(["status", "summary"]);
  });

  it("pages with nextPageToken and isLast, GET and POST alike", async () => {
    const t = await token();
    const first = (await (await get(jql("project = DEMO", { maxResults: "2" }), t)).json()) as {
      issues: { id: string }[];
      nextPageToken?: string;
      isLast: boolean;
    };
    expect(first.issues.map((i) => i.id)).toEqual(["10001", "10002"]);
    expect(first.isLast).toBe(false);
    expect(first.nextPageToken).toEqual(expect.any(String));

    const second = await post("/search/jql", t, {
      jql: "project = DEMO",
      maxResults: 2,
      nextPageToken: first.nextPageToken,
      fields: ["summary"],
    });
    expect(await second.json()).toEqual({
      issues: [
        expect.objectContaining({ id: "10003", key: "DEMO-3", fields: { summary: expect.any(String) } }),
      ],
      isLast: true,
    });

    // A page token belongs to its query.
    const other = await get(jql("key = DEMO-1", { nextPageToken: first.nextPageToken! }), t);
    expect(other.status).toBe(400);
  });

  it("filters by key, project and assignee", async () => {
    const t = await token();
    const keys = async (query: string) =>
      (
        (await (await get(jql(query, { fields: "summary" }), t)).json()) as { issues: { key: string }[] }
      ).issues.map((i) => i.key);
    expect(await keys("key in (DEMO-1, 'DEMO-3')")).toEqual(["DEMO-1", "DEMO-3"]);
    expect(await keys('project = DEMO AND status != "Done"')).toEqual(["DEMO-2", "DEMO-3"]);
    expect(await keys("project = OTHER")).toEqual([]);
    expect(await keys(`assignee = "${DEMO_IDS.grace}"`)).toEqual([]);
  });

  it("refuses unbounded JQL with Jira's 400 message", async () => {
    const t = await token();
    for (const query of ["", "ORDER BY created DESC", "status = Done", "project != DEMO"]) {
      const res = await get(jql(query), t);
      expect(res.status, query).toBe(400);
      expect(await res.json()).toEqual({ errorMessages: [UNBOUNDED_MESSAGE], errors: {} });
    }
    expect((await post("/search/jql", t, {})).status).toBe(400);
  });

  it("refuses JQL it cannot read rather than ignoring a clause", async () => {
    const t = await token();
    const res = await get(jql("project = DEMO AND labels = x"), t);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errorMessages: [expect.stringContaining("labels")] });
    expect((await get(jql("project = DEMO OR key = DEMO-1"), t)).status).toBe(400);
  });
});

describe("/rest/api/3/myself", () => {
  it("needs read:jira-user: 403 with only read:jira-work", async () => {
    const res = await get("/myself", await token("read:me read:jira-work"));
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ errorMessages: [expect.stringContaining("read:jira-user")] });
  });
});

describe("/rest/api/3/issue/{issueIdOrKey}", () => {
  it("returns one issue by key or id with every field, or the fields asked for", async () => {
    const t = await token();
    const byKey = await get("/issue/DEMO-2", t);
    expect(byKey.status).toBe(200);
    const issue = (await byKey.json()) as { id: string; key: string; fields: Record<string, unknown> };
    expect(issue).toMatchObject({ id: "10002", key: "DEMO-2", fields: { summary: expect.any(String) } });
    expect(Object.keys(issue.fields)).toEqual(
      expect.arrayContaining(["status", "assignee", "project", "updated"]),
    );
    const byId = (await (await get("/issue/10002?fields=summary", t)).json()) as { fields: object };
    expect(Object.keys(byId.fields)).toEqual(["summary"]);
  });

  it("answers 404 in Jira's words for an issue that does not exist, and 403 without read:jira-work", async () => {
    const t = await token();
    const missing = await get("/issue/DEMO-999", t);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ errorMessages: [ISSUE_NOT_FOUND_MESSAGE], errors: {} });
    const narrow = await token("read:me read:jira-user");
    expect((await get("/issue/DEMO-1", narrow)).status).toBe(403);
  });
});
