import { describe, expect, it } from "vitest";
import { createAtlassianEmulator } from "../app.js";
import { demoSeed } from "../demo-seed.js";

const { app, control } = createAtlassianEmulator({ seed: demoSeed() });
const OWN = "http://emulator.test";

function send(method: string, path: string, headers: Record<string, string> = {}) {
  return app.request(`${OWN}/__emulator${path}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: method === "GET" ? undefined : JSON.stringify({ ms: 1000 }),
  });
}

describe("control API and cross-site requests", () => {
  it("refuses a request from another origin or marked cross-site, changing nothing", async () => {
    const before = control.now();
    const attempts: Record<string, string>[] = [
      { origin: "https://evil.example" },
      { origin: "http://emulator.test:9999" },
      { origin: "null" },
      { "sec-fetch-site": "cross-site" },
    ];
    for (const headers of attempts) {
      const res = await send("POST", "/clock/advance", headers);
      expect(res.status).toBe(403);
      expect((await res.json()).error).toBe("cross_site_refused");
      expect((await send("POST", "/reset", headers)).status).toBe(403);
    }
    expect(control.now() - before).toBeLessThan(500);
  });

  it("still serves its own page, same-origin requests and tools that send no Origin", async () => {
    expect((await send("GET", "", { "sec-fetch-site": "none" })).status).toBe(200);
    expect(
      (await send("POST", "/clock/advance", { origin: OWN, "sec-fetch-site": "same-origin" })).status,
    ).toBe(200);
    expect((await send("POST", "/clock/advance")).status).toBe(200);
    expect((await send("GET", "/counters", { "sec-fetch-site": "same-site" })).status).toBe(200);
  });
});
