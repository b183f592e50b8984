import { randomUUID } from "node:crypto";
import { DEMO_IDS } from "@foyer/atlassian-emulator";
import { artifactPath, launchBrowser } from "@foyer/testkit/browser";
import { consent as consentScreens, type FreshFoyer, freshStart, printed } from "@foyer/testkit/foyer-cli";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FORCED_REUSE_MS } from "../../../packages/server/src/tokens/stored-token.js";
import { accountMenu, narrowPage, scrollWidth, started, violations } from "./test-helpers/browser-page.js";

/** The shared app `foyer start` gives its embedded emulator (cli/embedded-emulator.ts). */
const SHARED_CLIENT_ID = "foyer-dev-shared";
const IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";

/**
 * The example's sign-in dead ends and its account page (<UserProfile/> at /account, reached from
 * <UserButton/>), in Chromium at 390 px against `foyer start` and its embedded emulator: a
 * cancelled consent and a site gone during it land back in the app with words; then Ada adds a
 * site, grants more scopes, ends her phone's session from the list, reconnects after revoking the
 * app at Atlassian, unlinks a second Atlassian account, and cancels a request for more access
 * (back home, in words). The tests run in order, on one Foyer and, from the second, one browser.
 */
describe("jira-hello: dead ends in words, and the account page", () => {
  let foyer: FreshFoyer;
  let browser: Browser;
  let at: ReturnType<typeof started>;
  /** Ada's browser from the second test on: the later ones go on signed in (no second sign-in). */
  let desk: Awaited<ReturnType<typeof narrowPage>>;
  /** When Ada's grant was last refreshed by a consent (see the Reconnect test). */
  let grantedAt = 0;

  const emulator = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${at.control}${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`emulator ${method} ${path}: ${res.status} ${await res.text()}`);
  };

  beforeAll(async () => {
    foyer = await freshStart();
    at = started(foyer.output, printed);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    foyer?.child.kill("SIGKILL");
  });

  const signInCard = (page: Page) => page.getByRole("region", { name: "Sign in" });
  const profile = (page: Page) => page.getByRole("region", { name: "Account", exact: true });
  const accountItem = (page: Page, name: string) =>
    page.getByRole("list", { name: "Connected Atlassian accounts" }).getByRole("listitem", { name });
  const sessionItems = (page: Page) =>
    page.getByRole("list", { name: "Active sessions" }).locator(":scope > li");

  /** Atlassian's consent, once the button's Frontend API call has sent the browser there. */
  async function consent(page: Page, account: RegExp, site: RegExp) {
    await page.waitForURL((url) => url.origin !== new URL(at.link).origin);
    await consentScreens(page, account, site);
  }

  async function signIn(page: Page) {
    await page.goto(at.link);
    await signInCard(page).getByRole("button", { name: "Continue with Atlassian" }).click();
    await consent(page, /Ada Lovelace/, /Acme/);
    await page.waitForURL(`${at.link}/`);
    await accountMenu(page, "Ada Lovelace").waitFor();
  }

  it("a cancelled consent and a site gone during it land back in the app, saying what happened", async () => {
    const { context, page, problems } = await narrowPage(browser);
    await page.goto(at.link);
    await signInCard(page).getByRole("button", { name: "Continue with Atlassian" }).click();
    await page.getByLabel(/Ada Lovelace/).check();
    await page.getByRole("button", { name: "Continue", exact: true }).click();
    await page.getByRole("button", { name: "Cancel", exact: true }).click();
    await page.waitForURL(`${at.link}/`);
    const alert = signInCard(page).getByRole("alert");
    await expect(alert.textContent()).resolves.toContain("Sign-in cancelled");
    await expect(alert.textContent()).resolves.toContain("Code: oauth_access_denied");
    // @foyer/js took the code off the address bar: a reload shows a plain sign-in.
    expect(new URL(page.url()).search).toBe("");
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: artifactPath("example-cancelled.png") });

    // The only site of the account goes away between the consent and Foyer's callback.
    const cloudId = randomUUID();
    await emulator("POST", "/sites", {
      cloudId,
      name: "Vanishing",
      url: "https://vanishing.atlassian.net",
      products: ["jira"],
    });
    await emulator("POST", "/accounts", {
      accountId: "557058:example-lost",
      name: "Lost Access",
      email: "lost@example.com",
      siteIds: [cloudId],
    });
    // Atlassian answers the Accept with a redirect to Foyer's callback: the site is removed after
    // that answer and before the browser follows it (Foyer then finds no accessible site).
    const emulatorOrigin = new URL(at.control).origin;
    await page.route(
      (url) => url.origin === emulatorOrigin,
      async (route) => {
        if (!route.request().postData()?.includes("answer=accept")) return route.continue();
        const response = await route.fetch({ maxRedirects: 0 });
        await emulator("DELETE", `/sites/${cloudId}`);
        await route.fulfill({ response });
      },
    );
    await signInCard(page).getByRole("button", { name: "Continue with Atlassian" }).click();
    await consent(page, /Lost Access/, /Vanishing/);
    await page.waitForURL(`${at.link}/`);
    await expect(signInCard(page).getByRole("alert").textContent()).resolves.toContain(
      "No Atlassian site to use",
    );
    await expect(signInCard(page).getByRole("alert").textContent()).resolves.toContain(
      "Code: atlassian_site_required",
    );
    expect(await accountMenu(page, "Lost Access").count()).toBe(0);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: artifactPath("example-no-site.png") });
    expect(await violations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("<UserProfile/>: adds a site, grants more scopes, and ends the phone's session from the list", async () => {
    const phone = await narrowPage(browser, { userAgent: IPHONE });
    await signIn(phone.page);
    desk = await narrowPage(browser);
    const { page, problems } = desk;
    await signIn(page);

    // <UserButton/>'s "Manage account" leads to /account.
    await accountMenu(page, "Ada Lovelace").click();
    await page.getByRole("menuitem", { name: "Manage account" }).click();
    await page.waitForURL(`${at.link}/account`);
    await profile(page).waitFor();
    const ada = accountItem(page, "Ada Lovelace");
    await expect(ada.locator("[data-status]").textContent()).resolves.toBe("Active");
    const sites = ada.getByRole("list", { name: "Sites of Ada Lovelace" });
    await expect(sites.textContent()).resolves.toContain("Acme");
    await expect(sites.textContent()).resolves.not.toContain("Globex");

    // Add another site: Atlassian's consent, where Ada picks Globex; back on /account.
    await ada.getByRole("button", { name: "Add another site" }).click();
    await consent(page, /Ada Lovelace/, /Globex/);
    await page.waitForURL(`${at.link}/account`);
    await expect.poll(() => sites.textContent()).toContain("Globex");

    // Grant more access: read:jira-work, which the home page needs for issues.
    const scopesOnAcme = () =>
      page.getByRole("list", { name: "Scopes on Acme" }).getByRole("listitem").allTextContents();
    expect(await scopesOnAcme()).not.toContain("read:jira-work");
    await ada.getByRole("button", { name: "Grant more access" }).click();
    await consent(page, /Ada Lovelace/, /Acme/);
    await page.waitForURL(`${at.link}/account`);
    await expect.poll(scopesOnAcme).toContain("read:jira-work");
    grantedAt = Date.now();

    // Both devices are listed; this one is marked and has no Sign out of its own.
    await expect.poll(() => sessionItems(page).count()).toBe(2);
    const here = sessionItems(page).filter({ hasText: "This device" });
    expect(await here.getByRole("button").count()).toBe(0);
    const other = sessionItems(page).filter({ hasNotText: "This device" });
    await expect(other.textContent()).resolves.toContain("Safari 17 on iOS (mobile)");
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: artifactPath("example-account.png"), fullPage: true });
    await other.getByRole("button", { name: /^Sign out of Safari 17 on iOS/ }).click();
    await expect.poll(() => sessionItems(page).count()).toBe(1);

    // The phone's next look (here a reload) finds its session ended: the sign-in card again.
    await phone.page.reload();
    await signInCard(phone.page).waitFor();
    expect(await accountMenu(phone.page, "Ada Lovelace").count()).toBe(0);
    expect(await violations(phone.page)).toEqual([]);
    await phone.context.close();

    // Back home, the issues the new scope allows.
    await page.getByRole("link", { name: /Back to your Jira data/ }).click();
    await page.locator('[data-testid="site"][data-site-name="Acme"]').getByTestId("jira-issues").waitFor();
    expect(await violations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("<UserProfile/>: Reconnect after Ada revoked the app at Atlassian", async () => {
    const { page, problems } = desk;
    await page.goto(at.link);
    await accountMenu(page, "Ada Lovelace").waitFor();
    await emulator("POST", "/revoke", { clientId: SHARED_CLIENT_ID, accountId: DEMO_IDS.ada });
    // Foyer learns it when the app's server next calls Jira: the 401 forces a refresh, which
    // Atlassian refuses. A forced refresh within FORCED_REUSE_MS of the last one reuses that
    // token instead of asking Atlassian, so wait until the last consent is older than that.
    await page.waitForTimeout(Math.max(0, grantedAt + FORCED_REUSE_MS + 500 - Date.now()));
    await page.reload();
    await page.getByRole("button", { name: "Reconnect Atlassian" }).first().waitFor();

    await page.goto(`${at.link}/account`);
    const ada = accountItem(page, "Ada Lovelace");
    await expect(ada.locator("[data-status]").textContent()).resolves.toBe("Needs reconnecting");
    await expect(ada.textContent()).resolves.toContain("access was revoked at Atlassian");
    expect(await ada.getByRole("button", { name: "Add another site" }).count()).toBe(0);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: artifactPath("example-account-reconnect.png"), fullPage: true });
    await ada.getByRole("button", { name: "Reconnect" }).click();
    await consent(page, /Ada Lovelace/, /Acme/);
    await page.waitForURL(`${at.link}/account`);
    await expect.poll(() => ada.locator("[data-status]").textContent()).toBe("Active");
    expect(await violations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("<UserProfile/>: links a second Atlassian account, then unlinks it after the confirmation", async () => {
    await emulator("POST", "/accounts", {
      accountId: "557058:example-ada-work",
      name: "Ada Work",
      email: "ada.work@example.com",
      siteIds: [DEMO_IDS.acme],
    });
    const { context, page, problems } = desk;
    await page.goto(`${at.link}/account`);
    await accountItem(page, "Ada Lovelace").getByRole("button", { name: "Add another site" }).click();
    await consent(page, /Ada Work/, /Acme/);
    await page.waitForURL(`${at.link}/account`);
    const accounts = page.getByRole("list", { name: "Connected Atlassian accounts" }).locator(":scope > li");
    await expect.poll(() => accounts.count()).toBe(2);

    const work = accountItem(page, "Ada Work");
    await work.getByRole("button", { name: "Unlink" }).click();
    await work
      .getByRole("group", { name: "Unlink Ada Work?" })
      .getByRole("button", { name: "Yes, unlink" })
      .click();
    await expect.poll(() => accounts.count()).toBe(1);
    await page.reload();
    await profile(page).waitFor();
    expect(await accountItem(page, "Ada Work").count()).toBe(0);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);

    // Signed in, a request for more access cancelled on Atlassian's page: back home, in words.
    await page.getByRole("link", { name: /Back to your Jira data/ }).click();
    await page.getByRole("button", { name: "Allow access to Confluence spaces" }).click();
    await page.waitForURL((url) => url.origin !== new URL(at.link).origin);
    const pick = page.getByLabel(/Ada Lovelace/);
    const cancel = page.getByRole("button", { name: "Cancel", exact: true });
    await pick.or(cancel).first().waitFor();
    if (await pick.isVisible()) {
      await pick.check();
      await page.getByRole("button", { name: "Continue", exact: true }).click();
    }
    await cancel.click();
    await page.waitForURL(`${at.link}/`);
    const notice = page.getByRole("alert").filter({ hasText: "nothing changed" });
    await expect(notice.textContent()).resolves.toContain("You cancelled on Atlassian's page");
    await expect(notice.textContent()).resolves.toContain("Code: oauth_access_denied");
    await page.getByTestId("site").first().waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: artifactPath("example-more-access-cancelled.png") });
    expect(await violations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
