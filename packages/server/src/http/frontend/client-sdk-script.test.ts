import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Serves packages/js/dist/foyer.js: `npm test` builds (and bundles) before it runs.
describe("the browser SDK at /js/foyer.js", () => {
  let foyer: TestFoyer;
  beforeAll(async () => {
    foyer = await createTestFoyer("sqlite");
  });
  afterAll(() => foyer.close());

  it("serves the SDK as one self-contained, cacheable, cross-origin ES module", async () => {
    const entry = await foyer.request("/js/foyer.js");
    expect(entry.status).toBe(200);
    expect(entry.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(entry.headers.get("cache-control")).toBe("public, max-age=300");
    expect(entry.headers.get("access-control-allow-origin")).toBe("*");
    const text = await entry.text();
    // A browser resolves no bare specifier and no sibling file: everything is inside.
    expect(text).not.toMatch(/\bfrom\s*["']/);
    expect(text).not.toMatch(/\bimport\s*\(/);
    expect(text).toMatch(/export\s*\{[^}]*\bFoyer\b/);
    const map = await foyer.request("/js/foyer.js.map");
    expect(map.headers.get("content-type")).toBe("application/json");
    expect(JSON.parse(await map.text()).sources.some((s: string) => s.includes("contract"))).toBe(true);
  });

  it("runs in a module context with nothing but itself", async () => {
    // Import the served text as a data: URL, where a relative or bare import cannot resolve.
    const text = await (await foyer.request("/js/foyer.js")).text();
    const mod = (await import(`data:text/javascript;base64,${Buffer.from(text).toString("base64")}`)) as {
      Foyer: unknown;
      frontendApiFromKey: (key: string) => string;
    };
    const key = `pk_test_${Buffer.from("https://clerk.example.com$").toString("base64").replace(/=+$/, "")}`;
    expect(typeof mod.Foyer).toBe("function");
    expect(mod.frontendApiFromKey(key)).toBe("https://clerk.example.com");
  });

  it("serves nothing else", async () => {
    for (const path of [
      "/js/nope.js",
      "/js/index.js",
      "/js/foyer-client.js",
      "/js/..%2Fpackage.json",
      "/js/index.d.ts",
      "/js/%2E%2E%2Findex.js",
    ]) {
      expect((await foyer.request(path)).status).toBe(404);
    }
  });
});
