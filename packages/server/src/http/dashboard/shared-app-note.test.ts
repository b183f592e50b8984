import { readFileSync } from "node:fs";
import { signInToDashboard } from "@foyer/testkit/dashboard-client";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("what sharing one Atlassian app means, said where operators look", () => {
  let foyer: TestFoyer;
  beforeAll(async () => {
    foyer = await createTestFoyer("sqlite", {
      atlassian: { shared: { clientId: "shared-id", clientSecret: "shared-secret" } },
    });
  });
  afterAll(() => foyer.close());

  it("warns on a development instance's Atlassian page, not on a production one's", async () => {
    const app = await (
      await foyer.platform("/applications", { method: "POST", json: { name: "Note" } })
    ).json();
    const prod = await (
      await foyer.platform(`/applications/${app.id}/instances`, {
        method: "POST",
        json: { environment: "production", frontend_api_url: "https://clerk.note-example.com" },
      })
    ).json();
    const dash = await signInToDashboard(foyer);
    const dev = await dash.html(`/dashboard/instances/${app.instances[0].id}/sso/atlassian`);
    expect(dev).toContain("data-shared-warning");
    expect(dev).toContain("Atlassian enforces PKCE");
    expect(dev).toContain("Production instances never");
    const production = await dash.html(`/dashboard/instances/${prod.id}/sso/atlassian`);
    expect(production).not.toContain("data-shared-warning");
  });

  it("says the same in the README's Sign in with Atlassian section", () => {
    const readme = readFileSync(new URL("../../../../../README.md", import.meta.url), "utf8");
    const section = readme.slice(readme.indexOf("## Sign in with Atlassian"));
    expect(section).toMatch(/redeemed through another one's sign-in\s+unless Atlassian enforces the PKCE/);
    expect(section).toContain("**Production instances never share**");
  });
});
