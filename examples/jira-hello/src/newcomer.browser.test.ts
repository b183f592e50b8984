import { join } from "node:path";
import { artifactPath, launchBrowser } from "@foyer/testkit/browser";
import { consent, freshStart } from "@foyer/testkit/foyer-cli";
import Database from "better-sqlite3";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  accountMenu,
  inlineStyles,
  narrowPage,
  scrollWidth,
  violations,
} from "./test-helpers/browser-page.js";

/**
 * A newcomer's first run, in Chromium on a 390 px phone-wide page: `foyer start` on a fresh
 * directory, the printed link, <SignIn/>, Atlassian's consent, the Jira profile from the app's
 * server, more scope and issues, Reconnect, then <UserButton/>'s menu (by keyboard) to sign out.
 * Every page is served under the example's strict CSP: no violation may be reported.
 */
describe("Newcomer: npm start, open the link, sign in, see Jira data", () => {
  let foyer: Awaited<ReturnType<typeof freshStart>>;
  let browser: Browser;

  beforeAll(async () => {
    foyer = await freshStart();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    foyer?.child.kill("SIGKILL");
  });

  it("goes from the printed link to Jira issues and back out, and stops on SIGTERM", async () => {
    const link = /Open this first:\s+(\S+)/.exec(foyer.output)![1]!;
    expect(link).toMatch(/^http:\/\/localhost:\d+$/);
    const { page, problems, context } = await narrowPage(browser);

    await page.goto(link);
    const card = page.getByRole("region", { name: "Sign in" });
    await card.getByText("to continue to Jira Hello").waitFor();
    const signIn = card.getByRole("button", { name: "Continue with Atlassian" });
    // Enabled once @foyer/js has read the client from the Frontend API.
    await expect.poll(() => signIn.isEnabled()).toBe(true);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    expect(await inlineStyles(page)).toBe(0);
    await page.screenshot({ path: artifactPath("example-signed-out.png") });

    await signIn.click();
    await consent(page, /Ada Lovelace/, /Acme/);
    await page.waitForURL(`${link}/`);
    await accountMenu(page, "Ada Lovelace").waitFor();

    // The profile comes from Jira (GET /rest/api/3/myself, called by the example's server).
    const myself = page.getByTestId("jira-myself");
    await myself.waitFor();
    await expect(myself.textContent()).resolves.toContain("Ada Lovelace");
    await expect(page.getByTestId("site").textContent()).resolves.toContain("Acme");
    await expect(page.getByTestId("scopes").textContent()).resolves.not.toContain("read:jira-work");
    await expect(page.getByTestId("jira-issues").count()).resolves.toBe(0);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: artifactPath("example-signed-in.png"), fullPage: true });

    // More scope: consent again with read:jira-work, back to the app, issues appear.
    await page.getByRole("button", { name: "Allow access to Jira issues" }).click();
    await consent(page, /Ada Lovelace/, /Acme/);
    await page.waitForURL(`${link}/`);
    const issues = page.getByTestId("jira-issues");
    await issues.waitFor();
    await expect(issues.textContent()).resolves.toContain("DEMO-1");
    await expect(page.getByTestId("scopes").textContent()).resolves.toContain("read:jira-work");
    // Every scope the app asks for is held: the button offers another site instead.
    await page.getByRole("button", { name: "Add another Atlassian site" }).waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: artifactPath("example-issues.png"), fullPage: true });

    // Atlassian stops accepting the grant (as Foyer records after a refused refresh): the app offers
    // to reconnect, and reconnecting keeps the scopes already granted.
    const db = new Database(join(foyer.dataDir, "foyer.db"));
    db.prepare("UPDATE external_accounts SET status = 'reauthorization_required'").run();
    db.close();
    await page.reload();
    const reconnect = page.getByRole("button", { name: "Reconnect Atlassian" });
    await reconnect.waitFor();
    await page.screenshot({ path: artifactPath("example-reconnect.png") });
    await reconnect.click();
    await consent(page, /Ada Lovelace/, /Acme/);
    await page.waitForURL(`${link}/`);
    await issues.waitFor();
    await expect(page.getByTestId("scopes").textContent()).resolves.toContain("read:jira-work");

    // <UserButton/>'s menu by keyboard: Enter opens it on the first item, Escape closes it.
    const trigger = accountMenu(page, "Ada Lovelace");
    await expect(trigger.getAttribute("aria-haspopup")).resolves.toBe("menu");
    await trigger.focus();
    await page.keyboard.press("Enter");
    const menu = page.getByRole("menu", { name: "Account of Ada Lovelace" });
    await menu.waitFor();
    await expect(menu.getByRole("menuitem").allTextContents()).resolves.toEqual([
      "Manage account",
      "Sign out",
    ]);
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe("Manage account");
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: artifactPath("example-user-button.png") });
    await page.keyboard.press("Escape");
    await menu.waitFor({ state: "detached" });
    await expect(trigger.getAttribute("aria-expanded")).resolves.toBe("false");

    await trigger.click();
    await menu.getByRole("menuitem", { name: "Sign out" }).click();
    await signIn.waitFor();
    await expect(accountMenu(page, "Ada Lovelace").count()).resolves.toBe(0);
    await page.reload();
    await signIn.waitFor();
    await page.screenshot({ path: artifactPath("example-signed-out-again.png") });
    expect(await violations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();

    foyer.child.kill("SIGTERM");
    expect(await foyer.exited).toBe(0);
  }, 90_000);
});
