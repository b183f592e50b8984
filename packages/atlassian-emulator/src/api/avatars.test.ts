import { describe, expect, it } from "vitest";
import { createAtlassianEmulator } from "../app.js";
import { demoSeed } from "../demo-seed.js";

describe("emulator avatars and site removal", () => {
  it("serves an initials avatar, escaped, for accounts seeded without a picture", async () => {
    const { app } = createAtlassianEmulator({ seed: demoSeed() });
    const res = await app.request("/__avatars/x.svg?label=%3Cscript%3E%20Lovelace");
    expect(res.headers.get("content-type")).toBe("image/svg+xml");
    const svg = await res.text();
    expect(svg).toContain(">&#60;L</text>");
    expect(svg).not.toContain("<script");
  });

  it("forgets a removed site over the control API", async () => {
    const { app, control } = createAtlassianEmulator({ seed: demoSeed() });
    control.upsertSite({
      cloudId: "temp",
      name: "Temp",
      url: "https://temp.atlassian.net",
      products: ["jira"],
    });
    const res = await app.request("/__emulator/sites/temp", { method: "DELETE" });
    expect(res.status).toBe(200);
    control.upsertAccount({ accountId: "a", name: "A", siteIds: ["temp"] });
    expect(() => control.removeSite("temp")).not.toThrow();
  });
});
