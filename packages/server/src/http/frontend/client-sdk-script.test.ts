import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Serves files from packages/js/dist: `npm test` builds before it runs.
describe("the browser SDK at /js/foyer.js", () => {
  let foyer: TestFoyer;
  beforeAll(async () => {
    foyer = await createTestFoyer("sqlite");
  });
  afterAll(() => foyer.close());

  it("serves the package entry and its sibling modules as cacheable, cross-origin JavaScript", async () => {
    const entry = await foyer.request("/js/foyer.js");
    expect(entry.status).toBe(200);
    expect(entry.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(entry.headers.get("cache-control")).toBe("public, max-age=300");
    expect(entry.headers.get("access-control-allow-origin")).toBe("*");
    const text = await entry.text();
    expect(text).toContain('from "./foyer-client.js"');
    const sibling = await foyer.request("/js/foyer-client.js");
    expect(await sibling.text()).toContain("class Foyer");
  });

  it("serves nothing else", async () => {
    for (const path of ["/js/nope.js", "/js/..%2Fpackage.json", "/js/index.d.ts", "/js/%2E%2E%2Findex.js"]) {
      expect((await foyer.request(path)).status).toBe(404);
    }
  });
});
