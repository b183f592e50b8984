import { DEMO_IDS } from "@foyer/atlassian-emulator";
import { artifactPath, launchBrowser } from "@foyer/testkit/browser";
import { createEmulatedFoyer, type EmulatedFoyer } from "@foyer/testkit/emulated-foyer";
import { createTestInstance } from "@foyer/testkit/instances";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inlineStyles, narrowPage, serveTestApp, type TestApp, violations } from "./test-page/serve.js";

/**
 * <OrganizationSwitcher/> in Chromium against Foyer and the Atlassian emulator, on the strict-CSP
 * test page, with an instance whose organizations come from Atlassian sites: Ada consents to
 * Acme, then adds Globex; the switcher lists both, and choosing one (by keyboard) changes the
 * session token's `o` claim (organization id and the site's cloud id) and the shown organization.
 */
describe("<OrganizationSwitcher/> in a real browser", () => {
  let foyer: EmulatedFoyer;
  let browser: Browser;
  let app: TestApp;

  beforeAll(async () => {
    foyer = await createEmulatedFoyer("sqlite", { listen: true });
    const { id } = await createTestInstance(foyer, {
      name: "React Hello",
      patch: { organizations_from_sites: "auto" },
    });
    app = await serveTestApp(new URL(foyer.svc.config.publicUrl).origin, async (origin) => {
      const patched = await foyer.platform(`/instances/${id}`, {
        method: "PATCH",
        json: { allowed_origins: [origin] },
      });
      return (await patched.json()).publishable_key;
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await foyer?.close();
  });

  async function consent(page: Page, site: RegExp) {
    await page.waitForURL((url) => url.origin !== app.origin);
    await page.getByLabel(/Ada Lovelace/).check();
    await page.getByRole("button", { name: "Continue", exact: true }).click();
    await page.getByRole("radio", { name: site }).check();
    await page.getByRole("button", { name: "Accept", exact: true }).click();
    await page.waitForURL(`${app.origin}/orgs`);
  }

  /** The page reads `foyer.session.getToken()` and decodes its `o` claim: "<org id> <cloud id>". */
  const expectClaim = async (page: Page, expected: string) => {
    await page.getByRole("button", { name: "Read the token" }).click();
    await expect.poll(() => page.getByTestId("claim-org").textContent()).toBe(expected);
  };

  it("lists both of Ada's sites and switches the token's organization by keyboard, under a strict CSP", async () => {
    const { context, page, problems } = await narrowPage(browser);
    await page.goto(`${app.origin}/orgs`);
    await page.getByRole("button", { name: "Continue with Atlassian" }).click();
    await consent(page, /Acme/);
    await page.getByTestId("active-org").filter({ hasText: "Acme" }).waitFor();

    await page.getByRole("button", { name: "Add another site" }).click();
    await consent(page, /Globex/);
    // The site just picked is the active organization.
    await page.getByTestId("active-org").filter({ hasText: "Globex" }).waitFor();

    const trigger = page.getByRole("button", { name: /^Organization: Globex/ });
    await expect(trigger.getAttribute("aria-haspopup")).resolves.toBe("menu");
    await trigger.focus();
    await page.keyboard.press("Enter");
    const menu = page.getByRole("menu", { name: "Organizations" });
    await menu.waitFor();
    const items = menu.getByRole("menuitemradio");
    await expect.poll(() => items.count()).toBe(2);
    const names = await items.locator(".foyer-organization-switcher__name").allTextContents();
    expect(names.sort()).toEqual(["Acme", "Globex"]);
    const acmeItem = items.filter({ hasText: "Acme" });
    const acmeId = (await acmeItem.getAttribute("data-organization-id"))!;
    const globexId = (await items.filter({ hasText: "Globex" }).getAttribute("data-organization-id"))!;
    // Initials stand for the avatars (showImage off: no external image under this CSP).
    await expect(acmeItem.locator(".foyer-avatar").textContent()).resolves.toBe("A");
    await expect(items.filter({ hasText: "Globex" }).getAttribute("aria-checked")).resolves.toBe("true");
    const focused = () => page.evaluate(() => document.activeElement?.textContent);
    await expect(focused()).resolves.toContain("Globex");
    expect(await inlineStyles(page)).toBe(0);
    // On a phone the menu spans the viewport under the button, wherever the switcher sits.
    const box = (await menu.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(box.width).toBeGreaterThan(390 - 32);
    await page.screenshot({ path: artifactPath("react-organization-switcher.png") });
    await page.keyboard.press("Escape");
    await expectClaim(page, `${globexId} ${DEMO_IDS.globex}`);

    await trigger.focus();
    await page.keyboard.press("Enter");
    await menu.waitFor();
    await page.keyboard.press(
      (await items.nth(0).getAttribute("data-organization-id")) === acmeId ? "Home" : "End",
    );
    await expect(focused()).resolves.toContain("Acme");
    await page.keyboard.press("Enter");
    await menu.waitFor({ state: "detached" });
    await page.getByTestId("active-org").filter({ hasText: "Acme" }).waitFor();
    await page.getByRole("button", { name: /^Organization: Acme/ }).waitFor();
    await expectClaim(page, `${acmeId} ${DEMO_IDS.acme}`);

    // A reload finds the switch kept by Foyer.
    await page.reload();
    await page.getByTestId("active-org").filter({ hasText: "Acme" }).waitFor();
    expect(await violations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
