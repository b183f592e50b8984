import { DEMO_IDS } from "@foyer/atlassian-emulator";
import { artifactPath, launchBrowser } from "@foyer/testkit/browser";
import { consent as consentScreens, type FreshFoyer, freshStart, printed } from "@foyer/testkit/foyer-cli";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountMenu, narrowPage, scrollWidth, started, violations } from "./test-helpers/browser-page.js";

/**
 * <OrganizationSwitcher/> in the React example, in Chromium at 390 px against `foyer start`, on
 * an instance whose organizations come from Atlassian sites (`organizations_from_sites: "auto"`,
 * set over the Platform API as an operator would): Ada consents to Acme, adds Globex from her
 * account page, and switching the organization switches the session token's `o.cloud_id`, so
 * the app's server shows the Jira data of the active organization's site only.
 */
describe("jira-hello: the organization switcher picks whose Jira data the page shows", () => {
  let foyer: FreshFoyer;
  let browser: Browser;
  let at: ReturnType<typeof started>;

  beforeAll(async () => {
    foyer = await freshStart();
    at = started(foyer.output, printed);
    const res = await fetch(`${at.api}/platform/v1/instances/${at.instanceId}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${at.platformToken}`, "content-type": "application/json" },
      body: JSON.stringify({ organizations_from_sites: "auto" }),
    });
    if (!res.ok) throw new Error(`Platform API PATCH: ${res.status} ${await res.text()}`);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    foyer?.child.kill("SIGKILL");
  });

  async function consent(page: Page, site: RegExp) {
    await page.waitForURL((url) => url.origin !== new URL(at.link).origin);
    await consentScreens(page, /Ada Lovelace/, site);
  }
  const sites = (page: Page) => page.getByTestId("site");
  const siteNames = (page: Page) =>
    sites(page).evaluateAll((els) => els.map((el) => el.getAttribute("data-site-name")));
  /** The site cards once the page shows `name` as the active organization's site. */
  const showing = async (page: Page, name: string) => {
    await page.getByRole("heading", { name: `Your Jira data on ${name}` }).waitFor();
    await expect.poll(() => siteNames(page)).toEqual([name]);
  };

  it("switches sites from the header, and the Jira data follows the active organization", async () => {
    const { context, page, problems } = await narrowPage(browser);
    await page.goto(at.link);
    await page.getByRole("button", { name: "Continue with Atlassian" }).click();
    await consent(page, /Acme/);
    await page.waitForURL(`${at.link}/`);
    await accountMenu(page, "Ada Lovelace").waitFor();
    // The site Ada picked is her organization, active in this session: its data only.
    await page.getByRole("button", { name: /^Organization: Acme/ }).waitFor();
    await showing(page, "Acme");

    // Another site, from the account page: Globex becomes an organization too, and the active one.
    await page.goto(`${at.link}/account`);
    await page.getByRole("button", { name: "Add another site" }).click();
    await consent(page, /Globex/);
    await page.waitForURL(`${at.link}/account`);
    await page.getByRole("link", { name: /Back to your Jira data/ }).click();
    await page.getByRole("button", { name: /^Organization: Globex/ }).waitFor();
    await showing(page, "Globex");
    await expect(page.getByTestId("active-site").textContent()).resolves.toContain("Globex");
    await expect(sites(page).getByTestId("jira-myself").textContent()).resolves.toContain("Ada Lovelace");

    // The switcher by keyboard: it opens on the active organization; Acme is the other item.
    const trigger = page.getByRole("button", { name: /^Organization: Globex/ });
    await trigger.focus();
    await page.keyboard.press("Enter");
    const menu = page.getByRole("menu", { name: "Organizations" });
    await menu.waitFor();
    const items = menu.getByRole("menuitemradio");
    await expect.poll(() => items.allTextContents()).toHaveLength(2);
    await expect(items.filter({ hasText: "Globex" }).getAttribute("aria-checked")).resolves.toBe("true");
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: artifactPath("example-organization-switcher.png") });
    await items.filter({ hasText: "Acme" }).focus();
    await page.keyboard.press("Enter");
    await menu.waitFor({ state: "detached" });
    await page.getByRole("button", { name: /^Organization: Acme/ }).waitFor();
    await showing(page, "Acme");
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: artifactPath("example-organization-acme.png"), fullPage: true });

    // Foyer keeps the choice: a reload shows Acme's data again, not Globex's.
    await page.reload();
    await showing(page, "Acme");
    // Acme's site card is the one the server filled in (its cloud id in the token's `o` claim).
    await expect(
      sites(page).getByRole("link", { name: "https://acme-demo.atlassian.net" }).count(),
    ).resolves.toBe(1);
    expect(DEMO_IDS.acme).toBeTruthy();
    expect(await violations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
