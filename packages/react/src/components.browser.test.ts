import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { fileURLToPath } from "node:url";
import { artifactPath, launchBrowser } from "@foyer/testkit/browser";
import { createEmulatedFoyer, type EmulatedFoyer } from "@foyer/testkit/emulated-foyer";
import { createTestInstance } from "@foyer/testkit/instances";
import { build } from "esbuild";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * @foyer/react in Chromium against Foyer and the Atlassian emulator: a page on its own origin,
 * served with a strict CSP (`default-src 'self'`, plus connect-src for the Frontend API, which
 * @foyer/js calls), mounts the components from source; the user signs in through <SignIn/>,
 * uses <UserButton/>'s menu with the keyboard and signs out. No CSP violation may be reported,
 * and a 390 px wide viewport never scrolls sideways. One database: storage is covered elsewhere.
 */
const ENTRY = fileURLToPath(new URL("./test-page/app.tsx", import.meta.url));
const CSS = fileURLToPath(new URL("./styles.css", import.meta.url));

describe("@foyer/react components in a real browser", () => {
  let foyer: EmulatedFoyer;
  let browser: Browser;
  let appServer: Server;
  let appOrigin: string;
  let publishableKey: string;
  let bundle: string;

  beforeAll(async () => {
    const built = await build({
      entryPoints: [ENTRY],
      bundle: true,
      write: false,
      format: "esm",
      platform: "browser",
      target: "es2022",
      jsx: "automatic",
      define: { "process.env.NODE_ENV": '"development"' },
      logLevel: "silent",
    });
    bundle = built.outputFiles[0]!.text;
    foyer = await createEmulatedFoyer("sqlite", { listen: true });
    const { id } = await createTestInstance(foyer, { name: "React Hello" });
    const fapiOrigin = new URL(foyer.svc.config.publicUrl).origin;

    appServer = createServer((req, res) => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      res.setHeader("content-security-policy", `default-src 'self'; connect-src 'self' ${fapiOrigin}`);
      if (path === "/app.js") {
        res.setHeader("content-type", "text/javascript");
        res.end(bundle);
      } else if (path === "/foyer.css") {
        res.setHeader("content-type", "text/css");
        res.end(readFileSync(CSS));
      } else {
        res.setHeader("content-type", "text/html; charset=utf-8");
        res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="foyer-publishable-key" content="${publishableKey}">
<title>React Hello</title><link rel="stylesheet" href="/foyer.css">
<script type="module" src="/app.js"></script></head><body><div id="root"></div></body></html>`);
      }
    });
    await new Promise<void>((r) => appServer.listen(0, "127.0.0.1", r));
    appOrigin = `http://127.0.0.1:${(appServer.address() as { port: number }).port}`;
    const patched = await foyer.platform(`/instances/${id}`, {
      method: "PATCH",
      json: { allowed_origins: [appOrigin] },
    });
    publishableKey = (await patched.json()).publishable_key;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => appServer?.close(r));
    await foyer?.close();
  });

  /** A 390 px page that records CSP violations and console errors from before the first script. */
  async function narrowPage() {
    const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    page.on("response", (r) => {
      if (r.status() >= 400) problems.push(`${r.status()} ${r.request().method()} ${r.url()}`);
    });
    page.on("console", (m) => {
      // The browser's own favicon.ico request on Foyer's and the emulator's pages is no fault of the page.
      if (m.location().url.endsWith("/favicon.ico")) return;
      if (m.type() === "error" || /Content Security Policy/i.test(m.text()))
        problems.push(`console: ${m.text()} at ${m.location().url}`);
    });
    // An init script runs through the debugging protocol, not the page, so the CSP does not apply to it.
    await page.addInitScript(() => {
      const w = window as unknown as { cspViolations: string[] };
      w.cspViolations = [];
      document.addEventListener("securitypolicyviolation", (e) =>
        w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    return { context, page, problems };
  }

  /** No style attribute and no <style> element: every look comes from the linked stylesheet. */
  const inlineStyles = (page: Page) =>
    page.evaluate(() => document.querySelectorAll("[style], style").length);
  const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);
  const violations = (page: Page) =>
    page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

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
