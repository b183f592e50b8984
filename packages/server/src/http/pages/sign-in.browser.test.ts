import { DEMO_IDS } from "@foyer/atlassian-emulator";
import { artifactPath, launchBrowser } from "@foyer/testkit/browser";
import { createEmulatedFoyer, type EmulatedFoyer } from "@foyer/testkit/emulated-foyer";
import { createTestInstance } from "@foyer/testkit/instances";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// One database is enough here: the browser half is about pages and redirects; storage is
// covered on both databases by the HTTP-level flow tests.
describe("Hosted sign-in page in a real browser", () => {
  let foyer: EmulatedFoyer;
  let browser: Browser;
  let instanceId: string;

  beforeAll(async () => {
    foyer = await createEmulatedFoyer("sqlite", { listen: true });
    instanceId = (await createTestInstance(foyer, { name: "Jira Hello" })).id;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await foyer?.close();
  });

  it("goes from the sign-in page through Atlassian's consent and back, signed in", async () => {
    const page = await browser.newPage();
    const signInUrl = `${foyer.svc.config.publicUrl}/fapi/${instanceId}/sign-in`;
    await page.goto(signInUrl);
    await expect(page.getByRole("heading", { name: "Sign in" }).isVisible()).resolves.toBe(true);
    await expect(page.getByText("to continue to Jira Hello").isVisible()).resolves.toBe(true);
    await expect(page.getByText("Atlassian is emulated").isVisible()).resolves.toBe(true);
    await page.screenshot({ path: artifactPath("sign-in-page.png") });

    await page.getByRole("button", { name: "Continue with Atlassian" }).click();
    await page.getByLabel(/Ada Lovelace/).check();
    await page.getByRole("button", { name: "Continue", exact: true }).click();
    await page.getByRole("radio", { name: /Acme/ }).check();
    await page.screenshot({ path: artifactPath("sign-in-consent.png") });
    await page.getByRole("button", { name: "Accept", exact: true }).click();

    await page.waitForURL(`${foyer.svc.config.publicUrl}/fapi/${instanceId}/signed-in`);
    // The callback's code and state never stay in the address bar.
    expect(page.url()).not.toContain("code=");
    await expect(page.getByTestId("user-name").textContent()).resolves.toBe("Ada Lovelace");
    await page.screenshot({ path: artifactPath("signed-in-page.png") });
    const cookies = await page.context().cookies();
    const client = cookies.find((c) => c.name === "__client");
    expect(client?.httpOnly).toBe(true);
    expect(client?.sameSite).toBe("Lax");
    const account = await foyer.svc.db.kysely
      .selectFrom("external_accounts")
      .select("provider_user_id")
      .where("instance_id", "=", instanceId)
      .executeTakeFirstOrThrow();
    expect(account.provider_user_id).toBe(DEMO_IDS.ada);
  });

  it("shows a cancelled consent as a plain message on the sign-in page", async () => {
    const page = await browser.newPage();
    await page.goto(`${foyer.svc.config.publicUrl}/fapi/${instanceId}/sign-in`);
    await page.getByRole("button", { name: "Continue with Atlassian" }).click();
    await page.getByLabel(/Grace Hopper/).check();
    await page.getByRole("button", { name: "Continue", exact: true }).click();
    await page.getByRole("button", { name: "Cancel", exact: true }).click();
    await page.getByRole("alert").waitFor();
    await expect(page.getByRole("alert").textContent()).resolves.toContain(
      "You cancelled the sign-in on Atlassian.",
    );
    await page.screenshot({ path: artifactPath("sign-in-cancelled.png") });
  });

  it("cannot be framed by another site", async () => {
    const res = await fetch(`${foyer.svc.config.publicUrl}/fapi/${instanceId}/sign-in`);
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });
});
