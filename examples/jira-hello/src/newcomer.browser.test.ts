import { join } from "node:path";
import { artifactPath, launchBrowser } from "@foyer/testkit/browser";
import { consent, freshStart } from "@foyer/testkit/foyer-cli";
import Database from "better-sqlite3";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

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
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    const problems: string[] = [];
    page.on("pageerror", (err) => problems.push(err.message));

    await page.goto(link);
    const signIn = page.getByRole("button", { name: "Sign in with Atlassian" });
    await signIn.waitFor();
    await page.screenshot({ path: artifactPath("example-signed-out.png") });

    await signIn.click();
    await consent(page, /Ada Lovelace/, /Acme/);
    await page.waitForURL(`${link}/`);
    await expect(page.getByTestId("user-name").textContent()).resolves.toBe("Ada Lovelace");

    // The profile comes from Jira (GET /rest/api/3/myself, called by the example's server).
    const myself = page.getByTestId("jira-myself");
    await myself.waitFor();
    await expect(myself.textContent()).resolves.toContain("Ada Lovelace");
    await expect(page.getByTestId("site").textContent()).resolves.toContain("Acme");
    await expect(page.getByTestId("scopes").textContent()).resolves.not.toContain("read:jira-work");
    await expect(page.getByTestId("jira-issues").count()).resolves.toBe(0);
    await page.screenshot({ path: artifactPath("example-signed-in.png"), fullPage: true });

    // More scope: consent again with read:jira-work, back to the app, issues appear.
    await page.getByRole("button", { name: "Allow access to Jira issues" }).click();
    await consent(page, /Ada Lovelace/, /Acme/);
    await page.waitForURL(`${link}/`);
    const issues = page.getByTestId("jira-issues");
    await issues.waitFor();
    await expect(issues.textContent()).resolves.toContain("DEMO-1");
    await expect(page.getByTestId("scopes").textContent()).resolves.toContain("read:jira-work");
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

    await page.getByRole("button", { name: "Sign out" }).click();
    await signIn.waitFor();
    await expect(page.getByTestId("user-name").count()).resolves.toBe(0);
    await page.reload();
    await signIn.waitFor();
    await page.screenshot({ path: artifactPath("example-signed-out-again.png") });
    expect(problems).toEqual([]);

    foyer.child.kill("SIGTERM");
    expect(await foyer.exited).toBe(0);
  }, 90_000);
});
