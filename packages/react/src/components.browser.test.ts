import { artifactPath, launchBrowser } from "@foyer/testkit/browser";
import { createEmulatedFoyer, type EmulatedFoyer } from "@foyer/testkit/emulated-foyer";
import { createTestInstance } from "@foyer/testkit/instances";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  inlineStyles,
  narrowPage as openNarrowPage,
  scrollWidth,
  serveTestApp,
  type TestApp,
  violations,
} from "./test-page/serve.js";

/**
 * @foyer/react in Chromium against Foyer and the Atlassian emulator: a page on its own origin,
 * served with a strict CSP (`default-src 'self'`, plus connect-src for the Frontend API, which
 * @foyer/js calls), mounts the components from source; the user signs in through <SignIn/>,
 * uses <UserButton/>'s menu with the keyboard and signs out. No CSP violation may be reported,
 * and a 390 px wide viewport never scrolls sideways. One database: storage is covered elsewhere.
 */

describe("@foyer/react components in a real browser", () => {
  let foyer: EmulatedFoyer;
  let browser: Browser;
  let app: TestApp;
  let appOrigin: string;

  beforeAll(async () => {
    foyer = await createEmulatedFoyer("sqlite", { listen: true });
    const { id } = await createTestInstance(foyer, { name: "React Hello" });
    app = await serveTestApp(new URL(foyer.svc.config.publicUrl).origin, async (origin) => {
      const patched = await foyer.platform(`/instances/${id}`, {
        method: "PATCH",
        json: { allowed_origins: [origin] },
      });
      return (await patched.json()).publishable_key;
    });
    appOrigin = app.origin;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await foyer?.close();
  });

  const narrowPage = () => openNarrowPage(browser);

  it("signs in through <SignIn/>, opens <UserButton/>'s menu by keyboard, signs out, under a strict CSP", async () => {
    const { context, page, problems } = await narrowPage();
    await page.goto(`${appOrigin}/`);
    await page.getByTestId("auth").filter({ hasText: "signed out" }).waitFor();
    const card = page.getByRole("region", { name: "Sign in" });
    await expect(card.getByText("to continue to React Hello").isVisible()).resolves.toBe(true);
    await expect(page.getByRole("button", { name: "Sign in from my own button" }).isVisible()).resolves.toBe(
      true,
    );
    // The stylesheet applied (no inline style could have done it under this CSP).
    const cardPadding = await card.evaluate((el) => getComputedStyle(el).paddingTop);
    expect(cardPadding).toBe("24px");
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    expect(await inlineStyles(page)).toBe(0);
    await page.screenshot({ path: artifactPath("react-signed-out.png") });

    await card.getByRole("button", { name: "Continue with Atlassian" }).click();
    await page.getByLabel(/Ada Lovelace/).check();
    await page.getByRole("button", { name: "Continue", exact: true }).click();
    await page.getByRole("radio", { name: /Acme/ }).check();
    await page.getByRole("button", { name: "Accept", exact: true }).click();

    await page.waitForURL(`${appOrigin}/`);
    await page.getByTestId("signed-in").waitFor();
    await expect(page.getByTestId("auth").textContent()).resolves.toBe("signed in");
    await expect(page.getByTestId("who").textContent()).resolves.toBe("Ada Lovelace");
    await expect(page.getByTestId("sites").textContent()).resolves.toContain("Acme");
    await expect(page.getByTestId("protect-scope-fallback").isVisible()).resolves.toBe(true);
    expect(await page.getByTestId("protect-scope").count()).toBe(0);
    // The emulator's grant holds the instance's default scopes (read:jira-user among them) on Acme.
    await expect(page.getByTestId("jira-scope").isVisible()).resolves.toBe(true);
    expect(await page.getByRole("region", { name: "Sign in" }).count()).toBe(0);

    // The menu button, by keyboard (WAI-ARIA menu button pattern).
    const trigger = page.getByRole("button", { name: "Account menu for Ada Lovelace" });
    await expect(trigger.getAttribute("aria-haspopup")).resolves.toBe("menu");
    await expect(trigger.getAttribute("aria-expanded")).resolves.toBe("false");
    await expect(trigger.textContent()).resolves.toBe("AL");
    await trigger.focus();
    await page.keyboard.press("Enter");
    const menu = page.getByRole("menu", { name: "Account of Ada Lovelace" });
    await menu.waitFor();
    await expect(trigger.getAttribute("aria-expanded")).resolves.toBe("true");
    await expect(trigger.getAttribute("aria-controls")).resolves.toBe(await menu.getAttribute("id"));
    const items = menu.getByRole("menuitem");
    await expect(items.allTextContents()).resolves.toEqual(["Manage account", "Sign out"]);
    await expect(items.nth(0).getAttribute("href")).resolves.toBe("/account");
    const focused = () => page.evaluate(() => document.activeElement?.textContent);
    await expect(focused()).resolves.toBe("Manage account");
    await page.keyboard.press("ArrowDown");
    await expect(focused()).resolves.toBe("Sign out");
    await page.keyboard.press("ArrowDown");
    await expect(focused()).resolves.toBe("Manage account");
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    // Inside the viewport, not cut off at an edge.
    const box = await menu.boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    expect(await inlineStyles(page)).toBe(0);
    await page.screenshot({ path: artifactPath("react-user-menu.png") });
    await page.keyboard.press("Escape");
    await menu.waitFor({ state: "detached" });
    await expect(trigger.getAttribute("aria-expanded")).resolves.toBe("false");
    await expect(page.evaluate(() => document.activeElement?.getAttribute("aria-haspopup"))).resolves.toBe(
      "menu",
    );

    // Sign out from the menu: ArrowUp opens it on the last item.
    await page.keyboard.press("ArrowUp");
    await menu.waitFor();
    await expect(focused()).resolves.toBe("Sign out");
    await page.keyboard.press("Enter");
    await page.getByTestId("auth").filter({ hasText: "signed out" }).waitFor();
    await page.getByRole("region", { name: "Sign in" }).waitFor();
    expect(await page.getByTestId("signed-in").count()).toBe(0);
    expect(await trigger.count()).toBe(0);

    // A reload finds no session either: the sign-out reached Foyer.
    await page.reload();
    await page.getByTestId("auth").filter({ hasText: "signed out" }).waitFor();
    expect(await violations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("signs in with <SignInButton> around the app's own button", async () => {
    const { context, page, problems } = await narrowPage();
    await page.goto(`${appOrigin}/`);
    await page.getByRole("button", { name: "Sign in from my own button" }).click();
    await page.getByLabel(/Grace Hopper/).check();
    await page.getByRole("button", { name: "Continue", exact: true }).click();
    await page.getByRole("radio", { name: /Acme/ }).check();
    await page.getByRole("button", { name: "Accept", exact: true }).click();
    await page.waitForURL(`${appOrigin}/`);
    await page.getByTestId("who").filter({ hasText: "Grace Hopper" }).waitFor();
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await page.getByTestId("auth").filter({ hasText: "signed out" }).waitFor();
    expect(await violations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("sends a signed-out visitor of a page with <RedirectToSignIn/> to sign in, and back to that page", async () => {
    const { context, page, problems } = await narrowPage();
    await page.goto(`${appOrigin}/protected`);
    await page.getByLabel(/Ada Lovelace/).check();
    await page.getByRole("button", { name: "Continue", exact: true }).click();
    await page.getByRole("radio", { name: /Acme/ }).check();
    await page.getByRole("button", { name: "Accept", exact: true }).click();
    await page.waitForURL(`${appOrigin}/protected`);
    await page.getByTestId("protected-page").waitFor();
    expect(await violations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("brings a cancelled sign-in back to the app, explained in words", async () => {
    const { context, page, problems } = await narrowPage();
    await page.goto(`${appOrigin}/`);
    await page.getByRole("button", { name: "Continue with Atlassian" }).click();
    await page.getByLabel(/Grace Hopper/).check();
    await page.getByRole("button", { name: "Continue", exact: true }).click();
    await page.getByRole("button", { name: "Cancel", exact: true }).click();
    // Back on the app's page; @foyer/js takes foyer_error off the address bar once read.
    await page.waitForURL(`${appOrigin}/`);
    const alert = page.getByRole("alert");
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain("Sign-in cancelled");
    await expect(alert.textContent()).resolves.toContain("You cancelled on Atlassian's page");
    expect(await violations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("brings a sign-in with no Atlassian site back to the app, explained in words", async () => {
    // The account's only site goes away during the consent: Atlassian then lists no site.
    const site = "react-gone-site";
    foyer.emulator.control.upsertSite({
      cloudId: site,
      name: "Gone Co",
      url: `https://${site}.atlassian.net`,
      products: ["jira"],
    });
    foyer.emulator.control.upsertAccount({
      accountId: "557058:react-lost",
      name: "Lost Access",
      email: "lost-react@example.com",
      siteIds: [site],
    });
    const { context, page, problems } = await narrowPage();
    await page.goto(`${appOrigin}/`);
    await page.getByRole("button", { name: "Continue with Atlassian" }).click();
    await page.getByLabel(/Lost Access/).check();
    await page.getByRole("button", { name: "Continue", exact: true }).click();
    await page.getByRole("radio", { name: /Gone Co/ }).check();
    foyer.emulator.control.removeSite(site);
    await page.getByRole("button", { name: "Accept", exact: true }).click();
    await page.waitForURL(`${appOrigin}/`);
    const alert = page.getByRole("alert");
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain(
      "Your Atlassian account has no site this app can use",
    );
    await expect(alert.textContent()).resolves.toContain("Code: atlassian_site_required");
    await expect(page.getByTestId("auth").textContent()).resolves.toBe("signed out");
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: artifactPath("react-sign-in-no-site.png") });
    expect(await violations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
