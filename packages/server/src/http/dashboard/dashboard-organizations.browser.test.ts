/**
 * The Organizations tab's forms in Debian's Chromium: create an organization, add a member by
 * user id, change the role with the select, remove the member and delete the organization
 * through the confirmations the script asks for.
 */
import { launchBrowser } from "@foyer/testkit/browser";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { createTestInstance, insertTestUser } from "@foyer/testkit/instances";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("dashboard organizations in a real browser", () => {
  let foyer: TestFoyer;
  let browser: Browser;
  let page: Page;
  const confirms: string[] = [];

  beforeAll(async () => {
    foyer = await createTestFoyer("sqlite", { listen: true });
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
    page.on("dialog", async (d) => {
      confirms.push(d.message());
      await d.accept();
    });
  });
  afterAll(async () => {
    await browser?.close();
    await foyer?.close();
  });

  it("creates an organization, adds and re-roles a member, removes them and deletes it", async () => {
    const t = await createTestInstance(foyer);
    const user = await insertTestUser(foyer, t.instance, { first_name: "Rosa", last_name: "Member" });
    const base = foyer.svc.config.publicUrl;
    await page.goto(`${base}/dashboard/sign-in`);
    await page.getByLabel("Platform token").fill(foyer.platformToken);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${base}/dashboard`);
    await page.goto(`${base}/dashboard/instances/${t.id}/organizations`);

    await page.getByLabel("Name", { exact: true }).fill("Browser Team");
    await page.getByRole("button", { name: "Create organization" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("Organization created.");
    const panel = page.getByRole("region", { name: "Browser Team" });

    await panel.getByLabel("Add a member (user id)").fill(user.id);
    await panel.getByRole("button", { name: "Add member" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("Member added.");
    await expect.poll(() => panel.getByText("Rosa Member").count()).toBe(1);

    await panel.getByLabel("Role of Rosa Member").selectOption("org:admin");
    await panel.getByRole("button", { name: "Save role" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("Role changed.");
    expect(await panel.getByLabel("Role of Rosa Member").inputValue()).toBe("org:admin");

    await panel.getByRole("button", { name: "Remove Rosa Member" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("Member removed.");
    expect(await panel.getByText("Rosa Member").count()).toBe(0);

    await panel.getByText("Rename or delete").click();
    await panel.getByRole("button", { name: "Delete organization" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("Organization deleted");
    expect(await page.getByRole("region", { name: "Browser Team" }).count()).toBe(0);
    expect(confirms).toEqual([
      "Remove Rosa Member from Browser Team?",
      "Delete Browser Team and its 0 memberships?",
    ]);
  });
});
