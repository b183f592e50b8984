/**
 * The dashboard in Debian's Chromium, end to end: sign in with the platform token, create an
 * application and its production instance, configure the production Atlassian connection against
 * the emulator (the missing-secret error first), copy the redirect URI, sign a user in through
 * the hosted page and the emulator's consent page, find them in Users, revoke the session and
 * delete them. Plus an Atlassian display name carrying markup, signed in for real, shown as text.
 */
import { DEMO_IDS, demoSeed, type RunningEmulator, startAtlassianEmulator } from "@foyer/atlassian-emulator";
import { artifactPath, launchBrowser } from "@foyer/testkit/browser";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const SHARED = { clientId: "dash-shared", clientSecret: "dash-shared-secret-0123456789" };
const PROD = { clientId: "acme-prod-client", clientSecret: "acme-prod-secret-0123456789" };
const XSS_NAME = "<img src=x onerror=alert(1)>";
const XSS_ID = "557058:xss-0000-0000-0000-000000000001";
const SCOPES = ["read:me", "read:jira-user", "read:jira-work"];

describe("dashboard in a real browser", () => {
  let emulator: RunningEmulator;
  let foyer: TestFoyer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  const cspViolations: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    emulator = await startAtlassianEmulator({ seed: demoSeed() });
    foyer = await createTestFoyer("sqlite", {
      listen: true,
      atlassian: {
        authUrl: emulator.authUrl,
        apiUrl: emulator.apiUrl,
        shared: SHARED,
        emulated: true,
        timeoutMs: 5_000,
      },
    });
    base = foyer.svc.config.publicUrl;
    emulator.control.upsertApp({
      ...SHARED,
      name: "Foyer development (shared)",
      callbackUrl: `${base}/v1/oauth_callback`,
      scopes: SCOPES,
      shared: true,
    });
    browser = await launchBrowser();
    context = await browser.newContext();
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
    page = await context.newPage();
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    page.on("dialog", async (d) => {
      // Confirmations the dashboard asks for are accepted; anything else (alert) is recorded.
      if (d.type() !== "confirm") dialogs.push(d.message());
      await d.accept();
    });
  });
  afterAll(async () => {
    await browser?.close();
    await foyer?.close();
    await emulator?.close();
  });

  /** Hosted sign-in → Continue with Atlassian → emulator consent (account, site, Accept) → back. */
  async function signInThroughAtlassian(signInUrl: string, account: RegExp, site: RegExp): Promise<void> {
    const visitor = await browser.newContext();
    const p = await visitor.newPage();
    await p.goto(signInUrl);
    await p.getByRole("button", { name: "Continue with Atlassian" }).click();
    await p.getByLabel(account).check();
    await p.getByRole("button", { name: "Continue", exact: true }).click();
    await p.getByRole("radio", { name: site }).check();
    await p.getByRole("button", { name: "Accept", exact: true }).click();
    await p.waitForURL(/\/signed-in/);
    await visitor.close();
  }

  it("walks from sign-in to a deleted user", async () => {
    // Sign in: a wrong token first.
    await page.goto(`${base}/dashboard`);
    await page.waitForURL(`${base}/dashboard/sign-in`);
    await page.getByLabel("Platform token").fill("not-the-token");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toContain(
      "The platform token is missing or wrong.",
    );
    await page.screenshot({ path: artifactPath("dashboard-sign-in.png") });
    await page.getByLabel("Platform token").fill(foyer.platformToken);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${base}/dashboard`);
    const cookie = (await context.cookies()).find((c) => c.name === "foyer_dashboard");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/dashboard" });

    // Create an application.
    await page.getByLabel("Name", { exact: true }).fill("Acme Portal");
    await page.getByRole("button", { name: "Create application" }).click();
    await page.getByText("Application created with its development instance.").waitFor();
    await page.screenshot({ path: artifactPath("dashboard-applications.png"), fullPage: true });

    // Its production instance, on a loopback host of this server.
    const port = new URL(base).port;
    const prodUrl = `http://localhost:${port}`;
    await page
      .getByRole("region", { name: "Acme Portal" })
      .getByRole("link", { name: "Create production instance" })
      .click();
    await page.getByLabel("Frontend API URL (optional)").fill(prodUrl);
    await page.getByRole("button", { name: "Create production instance" }).click();
    await page.getByText("Production instance created.").waitFor();
    await expect(page.getByLabel("Publishable key", { exact: true }).inputValue()).resolves.toMatch(
      /^pk_live_/,
    );
    const masked = page.locator("code[id$='-masked']").first();
    await expect(masked.textContent()).resolves.toContain("••••");
    // The production key is shown whole on this answer only: copy it now, no Reveal later.
    const liveKey = await page.getByLabel("Secret key", { exact: true }).inputValue();
    expect(liveKey).toMatch(/^sk_live_/);
    await page.getByRole("button", { name: "Copy Secret key" }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(liveKey);
    await page.screenshot({ path: artifactPath("dashboard-api-keys.png"), fullPage: true });
    await page.getByRole("link", { name: "API keys" }).click();
    await page.waitForURL(/\/api-keys$/);
    expect(await page.content()).not.toContain(liveKey);
    await expect(page.getByRole("button", { name: "Reveal" }).count()).resolves.toBe(0);
    await expect(page.getByText("Shown once, when created").isVisible()).resolves.toBe(true);

    // Atlassian connection: enabling without a secret is refused at the Client Secret field.
    await page.getByRole("link", { name: "SSO connections" }).click();
    await page.screenshot({ path: artifactPath("dashboard-sso-connections.png") });
    await page.getByRole("link", { name: "Atlassian" }).click();
    await page.getByLabel("Enable Sign in with Atlassian").check();
    await page.getByLabel("Client ID", { exact: true }).fill(PROD.clientId);
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.locator("#client_secret-error").textContent()).resolves.toContain("Client Secret");
    await expect(page.locator("#client_secret").getAttribute("aria-invalid")).resolves.toBe("true");
    await page.screenshot({ path: artifactPath("dashboard-atlassian-error.png"), fullPage: true });

    // Copy the redirect URI, register it as the emulated Atlassian app's callback URL.
    await page.getByRole("button", { name: "Copy Authorized redirect URI" }).click();
    const redirectUri = await page.evaluate(() => navigator.clipboard.readText());
    expect(redirectUri).toBe(`${prodUrl}/v1/oauth_callback`);
    emulator.control.upsertApp({
      ...PROD,
      name: "Acme Portal",
      callbackUrl: redirectUri,
      scopes: SCOPES,
      shared: true,
    });

    await page.getByLabel("Enable Sign in with Atlassian").check();
    await page.getByLabel("Client Secret", { exact: true }).fill(PROD.clientSecret);
    await page.getByLabel("Add scopes").fill("read:jira-work");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Atlassian connection saved.").waitFor();
    await expect(page.getByText("Secret set", { exact: true }).isVisible()).resolves.toBe(true);
    expect(await page.content()).not.toContain(PROD.clientSecret);
    await page.screenshot({ path: artifactPath("dashboard-atlassian.png"), fullPage: true });

    // A user signs in on the production instance's hosted page.
    await signInThroughAtlassian(`${prodUrl}/sign-in`, /Ada Lovelace/, /Globex/);

    // Find them in Users.
    await page.getByRole("link", { name: "Users" }).click();
    await page.getByLabel("Search users").fill("lovelace");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("link", { name: "Ada Lovelace" }).waitFor();
    await page.screenshot({ path: artifactPath("dashboard-users.png"), fullPage: true });
    await page.getByRole("link", { name: "Ada Lovelace" }).click();
    await expect(page.getByText(DEMO_IDS.ada).first().isVisible()).resolves.toBe(true);
    await expect(page.getByRole("link", { name: "Globex" }).getAttribute("href")).resolves.toBe(
      "https://globex-demo.atlassian.net/",
    );
    await expect(page.locator("code.chip", { hasText: "read:jira-work" }).isVisible()).resolves.toBe(true);
    await expect(page.getByText("Active", { exact: true }).isVisible()).resolves.toBe(true);
    await page.screenshot({ path: artifactPath("dashboard-user.png"), fullPage: true });

    // Revoke the session.
    await page.getByRole("button", { name: /^Revoke session/ }).click();
    await page.getByText("Session revoked.").waitFor();
    const sessions = await foyer.svc.db.kysely.selectFrom("sessions").select("status").execute();
    expect(sessions.map((s) => s.status)).toEqual(["revoked"]);

    // Delete the user, after the confirmation page.
    await page.getByRole("link", { name: "Delete user…" }).click();
    await page.getByRole("button", { name: "Delete user" }).click();
    await page.getByText("User deleted.").waitFor();
    await expect(page.getByText("No users yet.").isVisible()).resolves.toBe(true);
    expect(await foyer.svc.db.kysely.selectFrom("users").select("id").execute()).toEqual([]);

    expect(cspViolations).toEqual([]);
    expect(dialogs).toEqual([]);
  });

  it("shows an Atlassian display name carrying markup as plain text", async () => {
    emulator.control.upsertAccount({
      accountId: XSS_ID,
      name: XSS_NAME,
      email: "xss@example.com",
      emailVerified: true,
      accountStatus: "active",
      siteIds: [DEMO_IDS.acme],
    });
    const app = await (await foyer.platform("/applications")).json();
    const dev = app.data[0].instances.find((i: { environment: string }) => i.environment === "development");
    await signInThroughAtlassian(dev.sign_in_url, /onerror/, /Acme/);

    await page.goto(`${base}/dashboard/instances/${dev.id}/users`);
    await page.getByRole("link", { name: XSS_NAME }).click();
    await page.getByRole("heading", { name: XSS_NAME }).waitFor();
    expect(await page.locator("main img").count()).toBe(0);
    await page.screenshot({ path: artifactPath("dashboard-user-markup-name.png"), fullPage: true });
    expect(dialogs).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});
