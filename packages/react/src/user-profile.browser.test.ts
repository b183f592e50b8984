import { DEMO_IDS } from "@foyer/atlassian-emulator";
import { artifactPath, launchBrowser } from "@foyer/testkit/browser";
import { createEmulatedFoyer, type EmulatedFoyer, SHARED_CLIENT_ID } from "@foyer/testkit/emulated-foyer";
import { createTestInstance } from "@foyer/testkit/instances";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FORCED_REUSE_MS } from "../../server/src/tokens/stored-token.js";
import {
  inlineStyles,
  narrowPage,
  scrollWidth,
  serveTestApp,
  type TestApp,
  violations,
} from "./test-page/serve.js";

/**
 * <UserProfile/> in Chromium against Foyer and the Atlassian emulator, on the strict-CSP page of
 * components.browser.test.ts (/account mounts it with grantScopes={["read:jira-work"]}). A user
 * of its own (Emmy, on Acme) so no other test's sessions show in the list. Every step is the
 * user's: buttons by role and name, Atlassian's consent in the emulator.
 */
const EMMY = { accountId: "557058:react-profile-emmy", name: "Emmy Noether", email: "emmy@example.com" };
const IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";

describe("<UserProfile/> in a real browser", () => {
  let foyer: EmulatedFoyer;
  let browser: Browser;
  let app: TestApp;
  let secretKey: string;

  beforeAll(async () => {
    foyer = await createEmulatedFoyer("sqlite", { listen: true });
    const instance = await createTestInstance(foyer, { name: "React Hello" });
    secretKey = instance.secretKey;
    app = await serveTestApp(new URL(foyer.svc.config.publicUrl).origin, async (origin) => {
      const patched = await foyer.platform(`/instances/${instance.id}`, {
        method: "PATCH",
        json: { allowed_origins: [origin] },
      });
      return (await patched.json()).publishable_key;
    });
    foyer.emulator.control.upsertAccount({ ...EMMY, siteIds: [DEMO_IDS.acme] });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await foyer?.close();
  });

  /** Signs in from /account's <SignIn/> card through the emulator's consent. */
  async function signIn(page: Page) {
    await page.goto(`${app.origin}/account`);
    await page.getByRole("button", { name: "Continue with Atlassian" }).click();
    await page.getByLabel(/Emmy Noether/).check();
    await page.getByRole("button", { name: "Continue", exact: true }).click();
    await page.getByRole("radio", { name: /Acme/ }).check();
    await page.getByRole("button", { name: "Accept", exact: true }).click();
    await page.waitForURL(`${app.origin}/account`);
    await page.getByRole("region", { name: "Account", exact: true }).waitFor();
  }

  /** The emulator's consent for a connect started from the profile: the same account, Acme. */
  async function consent(page: Page) {
    // The button asks the Frontend API for Atlassian's URL first: wait until the browser is there.
    await page.waitForURL((url) => url.origin !== app.origin);
    await page.getByLabel(/Emmy Noether/).check();
    await page.getByRole("button", { name: "Continue", exact: true }).click();
    await page.getByRole("radio", { name: /Acme/ }).check();
    await page.getByRole("button", { name: "Accept", exact: true }).click();
    await page.waitForURL(`${app.origin}/account`);
    await page.getByRole("region", { name: "Account", exact: true }).waitFor();
  }

  const accountItem = (page: Page) =>
    page
      .getByRole("list", { name: "Connected Atlassian accounts" })
      .getByRole("listitem", { name: EMMY.name });
  const scopesOnAcme = (page: Page) =>
    page.getByRole("list", { name: "Scopes on Acme" }).getByRole("listitem").allTextContents();
  const sessionItems = (page: Page) =>
    page.getByRole("list", { name: "Active sessions" }).locator(":scope > li");

  it("shows the profile, the account with its sites and scopes, and ends another device's session", async () => {
    const phone = await narrowPage(browser, { userAgent: IPHONE });
    await signIn(phone.page);
    const { context, page, problems } = await narrowPage(browser);
    await signIn(page);

    const profile = page.getByRole("region", { name: "Account", exact: true });
    // Headings a screen reader can jump between, one level under the card's.
    await expect(profile.getByRole("heading", { level: 2 }).allTextContents()).resolves.toEqual(["Account"]);
    await expect(profile.getByRole("heading", { level: 3 }).allTextContents()).resolves.toEqual([
      "Profile",
      "Connected Atlassian accounts",
      "Active sessions",
    ]);
    await expect(profile.locator('[data-field="name"]').textContent()).resolves.toBe(EMMY.name);
    await expect(profile.locator('[data-field="email"]').textContent()).resolves.toBe(EMMY.email);
    await expect(profile.locator(".foyer-avatar").first().textContent()).resolves.toBe("EN");
    const account = accountItem(page);
    await expect(account.locator("[data-status]").textContent()).resolves.toBe("Active");
    await expect(
      account.getByRole("list", { name: `Sites of ${EMMY.name}` }).textContent(),
    ).resolves.toContain("https://acme-demo.atlassian.net");
    const scopes = await scopesOnAcme(page);
    expect(scopes).toContain("read:jira-user");
    expect(scopes).not.toContain("read:jira-work");
    // A dead grant only offers Reconnect: this one is active.
    expect(await account.getByRole("button", { name: "Reconnect" }).count()).toBe(0);
    await expect(account.getByRole("button", { name: "Grant more access" }).isVisible()).resolves.toBe(true);
    await expect(account.getByRole("button", { name: "Add another site" }).isVisible()).resolves.toBe(true);

    // Both devices are listed, this one marked and without a Sign out of its own.
    await expect.poll(() => sessionItems(page).count()).toBe(2);
    const here = sessionItems(page).filter({ hasText: "This device" });
    await expect(here.textContent()).resolves.toContain("Chrome");
    expect(await here.getByRole("button").count()).toBe(0);
    const other = sessionItems(page).filter({ hasNotText: "This device" });
    await expect(other.textContent()).resolves.toContain("Safari 17 on iOS (mobile)");
    await expect(other.textContent()).resolves.toContain("Last active");
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    expect(await inlineStyles(page)).toBe(0);
    await page.screenshot({ path: artifactPath("react-user-profile.png"), fullPage: true });

    await other.getByRole("button", { name: /^Sign out of Safari 17 on iOS/ }).click();
    await expect.poll(() => sessionItems(page).count()).toBe(1);
    await expect(sessionItems(page).textContent()).resolves.toContain("This device");

    // The phone learns it at its next token (minted within a minute; here at once): the mint is
    // refused, and the SDK reads its client again.
    await phone.page.getByRole("button", { name: "Get a fresh token" }).click();
    await phone.page.getByTestId("token").filter({ hasText: "none" }).waitFor();
    await phone.page.getByTestId("auth").filter({ hasText: "signed out" }).waitFor();
    await phone.page.getByRole("region", { name: "Sign in" }).waitFor();
    expect(await phone.page.getByRole("region", { name: "Account", exact: true }).count()).toBe(0);
    expect(await violations(phone.page)).toEqual([]);
    await phone.context.close();

    // This browser stays signed in.
    await page.reload();
    await page.getByRole("region", { name: "Account", exact: true }).waitFor();
    expect(await violations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("Reconnect after the grant was revoked at Atlassian brings the account back to active", async () => {
    const { context, page, problems } = await narrowPage(browser);
    await signIn(page);
    const userId = (await page.getByTestId("user-id").textContent())!;
    foyer.emulator.control.revokeGrant(SHARED_CLIENT_ID, EMMY.accountId);
    // Foyer hears of it at its next refresh (here the app's server asks for a token).
    foyer.advance(FORCED_REUSE_MS);
    const refresh = await foyer.request(`/v1/users/${userId}/oauth_access_tokens/oauth_atlassian/refresh`, {
      method: "POST",
      headers: { authorization: `Bearer ${secretKey}` },
    });
    expect(refresh.status).toBeGreaterThanOrEqual(400);

    await page.reload();
    const account = accountItem(page);
    await expect(account.locator("[data-status]").textContent()).resolves.toBe("Needs reconnecting");
    await expect(account.textContent()).resolves.toContain("access was revoked at Atlassian");
    // A dead grant offers Reconnect only.
    expect(await account.getByRole("button", { name: "Grant more access" }).count()).toBe(0);
    expect(await account.getByRole("button", { name: "Add another site" }).count()).toBe(0);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: artifactPath("react-user-profile-reconnect.png"), fullPage: true });

    await account.getByRole("button", { name: "Reconnect" }).click();
    await consent(page);
    await expect(account.locator("[data-status]").textContent()).resolves.toBe("Active");
    await expect(account.getByRole("button", { name: "Add another site" }).isVisible()).resolves.toBe(true);
    expect(await account.getByRole("button", { name: "Reconnect" }).count()).toBe(0);
    expect(await violations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("Unlink asks first, and the refusal of the only account is shown in words", async () => {
    const { context, page, problems } = await narrowPage(browser);
    await signIn(page);
    // <UserButton/>'s "Manage account" (userProfileUrl="/account" on the home page) leads here.
    await page.goto(`${app.origin}/`);
    await page.getByRole("button", { name: `Account menu for ${EMMY.name}` }).click();
    await page.getByRole("menuitem", { name: "Manage account" }).click();
    await page.waitForURL(`${app.origin}/account`);
    const account = accountItem(page);
    await account.getByRole("button", { name: "Unlink" }).click();
    const confirm = account.getByRole("group", { name: `Unlink ${EMMY.name}?` });
    await confirm.waitFor();
    // The confirmation takes the focus; Cancel backs out without unlinking.
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe("Yes, unlink");
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await confirm.waitFor({ state: "detached" });
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe("Unlink");
    // By keyboard: Enter asks, Escape backs out and gives the focus back to Unlink.
    await page.keyboard.press("Enter");
    await confirm.waitFor();
    await page.keyboard.press("Escape");
    await confirm.waitFor({ state: "detached" });
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe("Unlink");

    await account.getByRole("button", { name: "Unlink" }).click();
    await page.keyboard.press("Enter");
    const alert = account.getByRole("alert");
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain(
      "This Atlassian account is your only way to sign in, so it cannot be unlinked.",
    );
    await expect(alert.textContent()).resolves.toContain("Code: external_account_last_sign_in_method");
    await expect(account.locator("[data-status]").textContent()).resolves.toBe("Active");
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    expect(await inlineStyles(page)).toBe(0);
    await page.screenshot({ path: artifactPath("react-user-profile-unlink-refused.png"), fullPage: true });
    expect(await violations(page)).toEqual([]);
    // The refusal itself is the one failed response.
    expect(problems.filter((p) => !/409.*\/v1\/me\/external_accounts\//.test(p))).toEqual([]);
    await context.close();
  });

  it("links a second Atlassian account, then unlinks it after the confirmation", async () => {
    foyer.emulator.control.upsertAccount({
      accountId: "557058:react-profile-emmy-work",
      name: "Emmy Work",
      email: "emmy.work@example.com",
      siteIds: [DEMO_IDS.acme],
    });
    const { context, page, problems } = await narrowPage(browser);
    await signIn(page);
    // A connect picks any account at Atlassian's; a new one links (the sign-in is recent).
    await accountItem(page).getByRole("button", { name: "Add another site" }).click();
    await page.waitForURL((url) => url.origin !== app.origin);
    await page.getByLabel(/Emmy Work/).check();
    await page.getByRole("button", { name: "Continue", exact: true }).click();
    await page.getByRole("radio", { name: /Acme/ }).check();
    await page.getByRole("button", { name: "Accept", exact: true }).click();
    await page.waitForURL(`${app.origin}/account`);
    const accounts = page.getByRole("list", { name: "Connected Atlassian accounts" }).locator(":scope > li");
    await expect.poll(() => accounts.count()).toBe(2);

    // Grant more access is for Emmy's first account: the work account coming back changes nothing.
    await accountItem(page).getByRole("button", { name: "Grant more access" }).click();
    await page.waitForURL((url) => url.origin !== app.origin);
    await page.getByLabel(/Emmy Work/).check();
    await page.getByRole("button", { name: "Continue", exact: true }).click();
    await page.getByRole("radio", { name: /Acme/ }).check();
    await page.getByRole("button", { name: "Accept", exact: true }).click();
    await page.waitForURL(`${app.origin}/account`);
    const mismatch = page.getByRole("region", { name: "Account", exact: true }).getByRole("alert");
    await mismatch.waitFor();
    await expect(mismatch.textContent()).resolves.toContain("A different Atlassian account came back");
    await expect(mismatch.textContent()).resolves.toContain("Code: external_account_mismatch");
    expect(await scopesOnAcme(page)).not.toContain("read:jira-work");
    await expect(accounts.count()).resolves.toBe(2);

    const work = page.getByRole("listitem", { name: "Emmy Work" });
    await work.getByRole("button", { name: "Unlink" }).click();
    await work
      .getByRole("group", { name: "Unlink Emmy Work?" })
      .getByRole("button", { name: "Yes, unlink" })
      .click();
    await expect.poll(() => accounts.count()).toBe(1);
    await expect(accounts.getByRole("heading").textContent()).resolves.toBe(EMMY.name);
    // Still signed in: the unlink ends the user's other sessions, never this one.
    await page.reload();
    await page.getByRole("region", { name: "Account", exact: true }).waitFor();
    expect(await page.getByRole("listitem", { name: "Emmy Work" }).count()).toBe(0);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    expect(await violations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  // Last: once the grant holds read:jira-work, a later sign-in meets Atlassian's consent twice
  // (Foyer asks again for every scope the user holds), which the other tests' signIn() does not expect.
  it("Grant more access goes through Atlassian's consent and the new scope shows", async () => {
    const { context, page, problems } = await narrowPage(browser);
    await signIn(page);
    await accountItem(page).getByRole("button", { name: "Grant more access" }).click();
    await consent(page);
    await expect.poll(() => scopesOnAcme(page)).toContain("read:jira-work");
    expect(await scopesOnAcme(page)).toContain("read:jira-user");
    // Every asked scope is held now: nothing more to grant.
    expect(await accountItem(page).getByRole("button", { name: "Grant more access" }).count()).toBe(0);
    expect(await violations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
