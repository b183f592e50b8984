import { randomUUID } from "node:crypto";
import { DEMO_IDS } from "@foyer/atlassian-emulator";
import { artifactPath, launchBrowser } from "@foyer/testkit/browser";
import { consent, type FreshFoyer, freshStart, printed } from "@foyer/testkit/foyer-cli";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountMenu, narrowPage, scrollWidth, violations } from "./test-helpers/browser-page.js";

/** The shared app `foyer start` gives its embedded emulator (cli/embedded-emulator.ts). */
const SHARED_CLIENT_ID = "foyer-dev-shared";

/**
 * The example against the real `foyer start` and its embedded emulator, driven over the
 * emulator's control API (at the URL `foyer start` prints) and Foyer's Backend API (with the
 * secret key it prints): per-site scopes, Reconnect after Atlassian refuses the token, and a
 * revoked session signing the React page out by itself, with words.
 */
describe("jira-hello: per-site scopes, Reconnect, a revoked session", () => {
  let foyer: FreshFoyer;
  let browser: Browser;
  let link: string;
  let control: string;
  let api: string;
  let secretKey: string;

  const emulator = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${control}${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`emulator ${method} ${path}: ${res.status} ${await res.text()}`);
  };
  const backend = async (method: string, path: string) => {
    const res = await fetch(`${api}/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${secretKey}` },
    });
    if (!res.ok) throw new Error(`Backend API ${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const site = (page: Page, name: string) => page.locator(`[data-testid="site"][data-site-name="${name}"]`);
  const backHome = (page: Page) => page.waitForURL(`${link}/`);

  beforeAll(async () => {
    foyer = await freshStart();
    browser = await launchBrowser();
    link = printed(foyer.output, /Open this first:/);
    control = `${printed(foyer.output, /Atlassian:\s+emulated at/)}/__emulator`;
    api = printed(foyer.output, /Foyer is ready at/);
    secretKey = printed(foyer.output, /Secret key:/);
  });
  afterAll(async () => {
    await browser?.close();
    foyer?.child.kill("SIGKILL");
  });

  it("shows issues only where the site's scopes allow, reconnects after a refused token, and signs out on revocation", async () => {
    const { context, page, problems } = await narrowPage(browser);

    await page.goto(link);
    await page.getByRole("button", { name: "Continue with Atlassian" }).click();
    await consent(page, /Ada Lovelace/, /Acme/);
    await backHome(page);
    await page.getByRole("button", { name: "Allow access to Jira issues" }).click();
    await consent(page, /Ada Lovelace/, /Acme/);
    await backHome(page);
    await site(page, "Acme").getByTestId("jira-issues").waitFor();

    // (a) A Confluence-only site joins the grant: the grant's Jira scopes do not apply there.
    const wikiId = randomUUID();
    await emulator("POST", "/sites", {
      cloudId: wikiId,
      name: "Initech Wiki",
      url: "https://initech-wiki.atlassian.net",
      products: ["confluence"],
    });
    await emulator("PUT", `/accounts/${encodeURIComponent(DEMO_IDS.ada)}/sites/${wikiId}`);
    await page.getByRole("button", { name: "Allow access to Confluence spaces" }).click();
    await consent(page, /Ada Lovelace/, /Initech Wiki/);
    await backHome(page);
    const wiki = site(page, "Initech Wiki");
    await wiki.getByTestId("confluence-spaces").waitFor();
    await expect(wiki.textContent()).resolves.toContain("No Jira issues permission on this site");
    await expect(wiki.getByTestId("jira-issues").count()).resolves.toBe(0);
    await expect(wiki.getByTestId("site-scopes").textContent()).resolves.not.toContain("read:jira-work");
    await expect(site(page, "Acme").getByTestId("jira-issues").textContent()).resolves.toContain("DEMO-1");
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: artifactPath("example-per-site-scopes.png"), fullPage: true });

    // (b) Ada revokes the app at Atlassian: the token Foyer holds gets 401, the forced refresh is
    // refused, and the page offers Reconnect; after a new consent the data is back.
    await emulator("POST", "/revoke", { clientId: SHARED_CLIENT_ID, accountId: DEMO_IDS.ada });
    await page.reload();
    const reconnect = page.getByRole("button", { name: "Reconnect Atlassian" }).first();
    await reconnect.waitFor();
    await expect(page.getByTestId("jira-issues").count()).resolves.toBe(0);
    await page.screenshot({ path: artifactPath("example-reconnect-after-401.png") });
    await reconnect.click();
    await consent(page, /Ada Lovelace/, /Acme/);
    await backHome(page);
    await expect(site(page, "Acme").getByTestId("jira-issues").textContent()).resolves.toContain("DEMO-1");

    // (c) The session is revoked through the Backend API: no reload, no click; the page's next
    // background mint fails and it signs itself out within one session-token lifetime (60 s).
    await page.reload();
    await accountMenu(page, "Ada Lovelace").waitFor();
    const sessions = (await backend("GET", "/sessions?status=active&paginated=true")) as {
      data: Array<{ id: string }>;
    };
    expect(sessions.data.length).toBeGreaterThan(0);
    for (const s of sessions.data) await backend("POST", `/sessions/${s.id}/revoke`);
    const revokedAt = Date.now();
    await page.getByRole("button", { name: "Continue with Atlassian" }).waitFor({ timeout: 70_000 });
    expect(Date.now() - revokedAt).toBeLessThan(62_000);
    await expect(accountMenu(page, "Ada Lovelace").count()).resolves.toBe(0);
    await expect(page.getByTestId("site").count()).resolves.toBe(0);
    await expect(page.getByRole("status").textContent()).resolves.toContain("Your session has ended");
    await page.screenshot({ path: artifactPath("example-revoked-session.png") });
    expect(await violations(page)).toEqual([]);
    // The revoked session's refused token mint (its response, and Chromium's console line for it)
    // is the one failure expected here.
    expect(problems.filter((p) => !/401.*\/v1\/client\/sessions\/[^/]+\/tokens$/.test(p))).toEqual([]);
    await context.close();
  }, 110_000);
});
