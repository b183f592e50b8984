/**
 * Confluence's v1 CQL search through the gateway: classic `search:confluence` on the site, the
 * granular family refused, paging by start/limit, and unparsable CQL answered 400.
 */
import { bearer, DEMO_IDS, signIn, startTestEmulator } from "@foyer/testkit/emulator-client";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { parseCql } from "./confluence-search.js";

const running = await startTestEmulator();
afterAll(() => running.close());
beforeEach(() => running.control.reset());

const SEARCH = `/ex/confluence/${DEMO_IDS.acme}/wiki/rest/api/search`;

async function token(scope: string) {
  return (await signIn(running, { cloudId: DEMO_IDS.acme, scope })).access_token;
}
const search = (t: string, params: Record<string, string>) =>
  bearer(running, `${SEARCH}?${new URLSearchParams(params)}`, t);

describe("GET /wiki/rest/api/search", () => {
  it("finds pages by CQL text with search:confluence, in v1's result shape", async () => {
    const t = await token("read:me search:confluence");
    const res = await search(t, { cql: 'type = page AND text ~ "getting started"' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      results: Array<Record<string, unknown>>;
      size: number;
      totalSize: number;
    };
    expect(body.size).toBe(2);
    expect(body.totalSize).toBe(2);
    expect(body.results[0]).toMatchObject({
      content: { type: "page", title: expect.stringContaining("Getting started") },
      url: expect.stringMatching(/^\/spaces\//),
      resultGlobalContainer: { title: expect.any(String) },
    });
  });

  it("pages with start and limit, with a next link while more remain", async () => {
    const t = await token("read:me search:confluence");
    const first = (await (await search(t, { cql: "type = page", limit: "3" })).json()) as {
      size: number;
      _links: { next?: string };
    };
    expect(first.size).toBe(3);
    expect(first._links.next).toContain("start=3");
    const rest = (await (await search(t, { cql: "type = page", start: "3", limit: "3" })).json()) as {
      size: number;
      _links: { next?: string };
    };
    expect(rest.size).toBe(1);
    expect(rest._links.next).toBeUndefined();
  });

  it("answers 400 without cql and for CQL it cannot parse", async () => {
    const t = await token("read:me search:confluence");
    expect((await search(t, {})).status).toBe(400);
    const bad = await search(t, { cql: "text ~ " });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      statusCode: 400,
      message: expect.stringContaining("Could not parse cql"),
    });
    expect(parseCql('space = ENG AND title ~ "home" ORDER BY lastmodified DESC')).toHaveLength(2);
    expect(parseCql("type ~ page")).toBeUndefined();
    expect(parseCql('text ~ "a" OR text ~ "b"')).toBeUndefined();
  });

  it("needs search:confluence: another classic scope is 403, granular ones are the gateway's 401", async () => {
    const other = await token("read:me read:confluence-content.summary");
    expect((await search(other, { cql: "type = page" })).status).toBe(403);
    const granular = await token("read:me read:page:confluence");
    expect((await search(granular, { cql: "type = page" })).status).toBe(401);
  });
});
