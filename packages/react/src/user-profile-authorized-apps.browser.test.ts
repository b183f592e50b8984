import { DEMO_IDS } from "@foyer/atlassian-emulator";
import {
  authorizeUrlFor,
  pkcePair,
  registerOAuthApplication,
  tokenRequest,
} from "@foyer/testkit/authorization-server";
import { artifactPath, launchBrowser } from "@foyer/testkit/browser";
import { createEmulatedFoyer, type EmulatedFoyer } from "@foyer/testkit/emulated-foyer";
import { createTestInstance, type TestInstance } from "@foyer/testkit/instances";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  inlineStyles,
  narrowPage,
  scrollWidth,
  serveTestApp,
  type TestApp,
  violations,
} from "./test-page/serve.js";

/**
 * The "Authorized apps" section of <UserProfile/> in Chromium, on the strict-CSP test page: a
 * real approval made in the same browser through the instance's authorization server (Foyer's
 * consent page), listed with the client's name, host and scopes, and revoked from the keyboard
 * (Revoke, Escape cancels, Yes revoke) so that the client's refresh token is refused.
 */
const ADA = { accountId: "557058:react-apps-ada", name: "Ada Apps", email: "ada.apps@example.com" };
const REDIRECT = "http://127.0.0.1:9/cb";

describe("<UserProfile/> authorized apps in a real browser", () => {
  let foyer: EmulatedFoyer;
  let browser: Browser;
  let app: TestApp;
  let t: TestInstance;

  beforeAll(async () => {
    foyer = await createEmulatedFoyer("sqlite", { listen: true });
    t = await createTestInstance(foyer, { name: "React Apps" });
    app = await serveTestApp(new URL(foyer.svc.config.publicUrl).origin, async (origin) => {
      const patched = await foyer.platform(`/instances/${t.id}`, {
        method: "PATCH",
        json: { allowed_origins: [origin] },
      });
      return (await patched.json()).publishable_key;
    });
    foyer.emulator.control.upsertAccount({ ...ADA, siteIds: [DEMO_IDS.acme] });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await foyer?.close();
  });

  async function signIn(page: Page) {
    await page.goto(`${app.origin}/account`);
    await page.getByRole("button", { name: "Continue with Atlassian" }).click();
    await page.getByLabel(/Ada Apps/).check();
    await page.getByRole("button", { name: "Continue", exact: true }).click();
    await page.getByRole("radio", { name: /Acme/ }).check();
    await page.getByRole("button", { name: "Accept", exact: true }).click();
    await page.waitForURL(`${app.origin}/account`);
    await page.getByRole("region", { name: "Account", exact: true }).waitFor();
  }

  /** The user approves the client on Foyer's consent page; returns the code the client got. */
  async function approve(page: Page, clientId: string, verifierChallenge: string): Promise<string> {
    let code = "";
    await page.route(`${REDIRECT}**`, (route) => {
      code = new URL(route.request().url()).searchParams.get("code") ?? "";
      return route.fulfill({ status: 200, contentType: "text/plain", body: "back at the client" });
    });
    await page.goto(
      authorizeUrlFor(t.instance.frontend_api_url, {
        client_id: clientId,
        redirect_uri: REDIRECT,
        response_type: "code",
        scope: "openid profile",
        state: "st-1",
        code_challenge: verifierChallenge,
        code_challenge_method: "S256",
      }),
    );
    await page.getByRole("button", { name: /Allow/ }).click();
    await page.waitForURL(`${REDIRECT}**`);
    return code;
  }

  it("lists the approval and revokes it from the keyboard: the client's refresh token dies", async () => {
    const client = await registerOAuthApplication(foyer, t.id, {
      name: "Reporting CLI",
      redirect_uris: [REDIRECT],
    });
    const { context, page, problems } = await narrowPage(browser);
    await signIn(page);
    const profile = page.getByRole("region", { name: "Account", exact: true });
    // No approval yet: the section is not there.
    await page.getByRole("list", { name: "Active sessions" }).locator("li").first().waitFor();
    expect(await profile.getByRole("heading", { name: "Authorized apps" }).count()).toBe(0);

    const { verifier, challenge } = pkcePair();
    const code = await approve(page, client.client_id, challenge);
    expect(code).not.toBe("");
    const tokens = await tokenRequest(t.instance.frontend_api_url, client, {
      grant_type: "authorization_code",
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    });
    expect(tokens.status).toBe(200);

    await page.goto(`${app.origin}/account`);
    const apps = page.getByRole("list", { name: "Authorized apps" });
    const item = apps.getByRole("listitem", { name: "Reporting CLI" });
    await item.waitFor();
    await expect(item.textContent()).resolves.toContain("127.0.0.1:9");
    await expect(
      item.getByRole("list", { name: "What Reporting CLI may do" }).getByRole("listitem").allTextContents(),
    ).resolves.toEqual(["openid", "profile"]);
    await expect(item.locator("time").getAttribute("datetime")).resolves.toMatch(/^\d{4}-/);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    expect(await inlineStyles(page)).toBe(0);
    await page.screenshot({ path: artifactPath("react-user-profile-authorized-apps.png"), fullPage: true });

    // Keyboard only: Revoke asks first, Escape takes the focus back, the confirm button ends it.
    const revoke = item.getByRole("button", { name: "Revoke access of Reporting CLI" });
    await revoke.focus();
    await page.keyboard.press("Enter");
    const yes = item.getByRole("button", { name: "Yes, revoke" });
    await expect.poll(() => yes.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press("Escape");
    await expect.poll(() => revoke.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press("Enter");
    await expect.poll(() => yes.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press("Enter");
    await profile.getByText("No app has access to your account.").waitFor();
    const heading = profile.getByRole("heading", { name: "Authorized apps" });
    await expect.poll(() => heading.evaluate((el) => el === document.activeElement)).toBe(true);

    const refresh = await tokenRequest(t.instance.frontend_api_url, client, {
      grant_type: "refresh_token",
      refresh_token: tokens.body.refresh_token as string,
    });
    expect(refresh.body.error).toBe("invalid_grant");
    expect(await violations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
