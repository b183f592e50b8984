import { createServer, type Server } from "node:http";
import { artifactPath, launchBrowser } from "@foyer/testkit/browser";
import { createEmulatedFoyer, type EmulatedFoyer } from "@foyer/testkit/emulated-foyer";
import { createTestInstance } from "@foyer/testkit/instances";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The user's own side and the dead ends, in Chromium against the Atlassian emulator: Cancel at
 * the consent lands back on the app with `foyer_error` in words; a page on an origin the
 * instance does not allow gets an error naming its origin (not "Failed to fetch"); the user
 * lists their sessions, ends another device's, and cannot unlink their last account.
 *
 * The app listens on 127.0.0.1, which a development instance accepts on any port without being
 * told; `app.test` (mapped to 127.0.0.1 inside Chromium) is an origin it was never told about.
 */
describe("@foyer/js: the user's own side and no dead ends, in a real browser", () => {
  let foyer: EmulatedFoyer;
  let browser: Browser;
  let appServer: Server;
  let port: number;
  let appOrigin: string;
  let publishableKey: string;

  beforeAll(async () => {
    foyer = await createEmulatedFoyer("sqlite", { listen: true });
    const t = await createTestInstance(foyer, { name: "Jira Hello" });
    publishableKey = t.publishableKey;

    appServer = createServer((_req, res) => {
      res.setHeader("content-type", "text/html; charset=utf-8");
      res.end(`<!doctype html><title>Jira Hello</title>
<p id="who">loading</p>
<p id="error" role="alert"></p>
<script type="module">
  import { Foyer } from "${foyer.svc.config.publicUrl}/js/foyer.js";
  const foyer = new Foyer("${publishableKey}");
  window.foyer = foyer;
  foyer.addListener(({ user }) => {
    document.getElementById("who").textContent = user ? user.first_name + " " + user.last_name : "signed out";
  });
  const show = (err) => {
    const el = document.getElementById("error");
    el.textContent = err.message;
    el.dataset.code = err.code;
  };
  window.ready = foyer.load().then(
    () => { if (foyer.redirectError) show(foyer.redirectError); },
    (err) => { show(err); },
  );
</script>`);
    });
    await new Promise<void>((r) => appServer.listen(0, "127.0.0.1", r));
    port = (appServer.address() as { port: number }).port;
    appOrigin = `http://127.0.0.1:${port}`;
    browser = await launchBrowser({ args: ["--host-resolver-rules=MAP app.test 127.0.0.1"] });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => appServer?.close(r));
    await foyer?.close();
  });

  async function signIn(page: Page, name: RegExp) {
    await page.goto(`${appOrigin}/`);
    await page.waitForFunction(() => document.getElementById("who")?.textContent === "signed out");
    await page.evaluate(() =>
      (
        window as unknown as { foyer: { signIn: { atlassian(o: object): Promise<void> } } }
      ).foyer.signIn.atlassian({ redirectUrl: `${location.origin}/` }),
    );
    await page.getByLabel(name).check();
    await page.getByRole("button", { name: "Continue", exact: true }).click();
    await page.getByRole("radio", { name: /Acme/ }).check();
    await page.getByRole("button", { name: "Accept", exact: true }).click();
    await page.waitForURL(`${appOrigin}/`);
  }

  it("Cancel at Atlassian's consent lands back on the app, with the error in words", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${appOrigin}/somewhere?tab=2`);
    await page.waitForFunction(() => document.getElementById("who")?.textContent === "signed out");
    await page.evaluate(() =>
      (window as unknown as { foyer: { signIn: { atlassian(): Promise<void> } } }).foyer.signIn.atlassian(),
    );
    await page.getByLabel(/Ada Lovelace/).check();
    await page.getByRole("button", { name: "Continue", exact: true }).click();
    await page.getByRole("button", { name: "Cancel", exact: true }).click();

    await page.waitForURL((url) => url.origin === appOrigin && url.pathname === "/somewhere");
    await page.waitForFunction(() => document.getElementById("error")?.dataset.code !== undefined);
    const error = page.getByRole("alert");
    expect(await error.getAttribute("data-code")).toBe("oauth_access_denied");
    expect(await error.textContent()).toBe("You cancelled the sign-in on Atlassian.");
    // The SDK took the code out of the address bar, and kept the app's own query.
    expect(new URL(page.url()).search).toBe("?tab=2");
    await page.screenshot({ path: artifactPath("foyer-js-cancelled.png") });
    await context.close();
  });

  it("names the origin and where to add it when the page's origin is not allowed", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    const stranger = `http://app.test:${port}`;
    await page.goto(`${stranger}/`);
    await page.waitForFunction(() => document.getElementById("error")?.dataset.code !== undefined);
    const error = page.getByRole("alert");
    expect(await error.getAttribute("data-code")).toBe("origin_not_allowed");
    const message = (await error.textContent()) ?? "";
    expect(message).toContain(`The origin ${stranger} is not an allowed origin`);
    expect(message).toContain("Allowed origins");
    expect(message).not.toContain("Failed to fetch");
    expect(consoleErrors.some((e) => e.includes(`[foyer] The origin ${stranger}`))).toBe(true);
    await page.screenshot({ path: artifactPath("foyer-js-origin-not-allowed.png") });
    await context.close();
  });

  it("lists the user's sessions, ends another device's, and refuses to unlink the last account", async () => {
    const laptop: BrowserContext = await browser.newContext();
    const phone: BrowserContext = await browser.newContext({
      userAgent:
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
    });
    const a = await laptop.newPage();
    const b = await phone.newPage();
    await signIn(a, /Grace Hopper/);
    await signIn(b, /Grace Hopper/);
    await b.waitForFunction(() => document.getElementById("who")?.textContent === "Grace Hopper");

    type Win = {
      ready: Promise<void>;
      foyer: {
        session: { id: string } | null;
        user: {
          getSessions(): Promise<
            Array<{
              id: string;
              current: boolean;
              latest_activity: Record<string, unknown>;
              revoke(): Promise<void>;
            }>
          >;
          externalAccounts: Array<{ destroy(): Promise<void> }>;
        } | null;
      };
    };
    const phoneSession = await b.evaluate(async () => {
      const w = window as unknown as Win;
      await w.ready;
      return w.foyer.session!.id;
    });
    const listed = await a.evaluate(async () => {
      const w = window as unknown as Win;
      await w.ready;
      const sessions = await w.foyer.user!.getSessions();
      return sessions.map((s) => ({ id: s.id, current: s.current, device: s.latest_activity }));
    });
    expect(listed).toHaveLength(2);
    const other = listed.find((s) => !s.current)!;
    expect(other.id).toBe(phoneSession);
    expect(other.device).toMatchObject({ browser_name: "Safari", device_type: "iOS", is_mobile: true });
    expect(listed.find((s) => s.current)!.device).toMatchObject({ browser_name: "Chrome" });

    await a.evaluate(async (sid) => {
      const w = window as unknown as Win;
      const sessions = await w.foyer.user!.getSessions();
      await sessions.find((s) => s.id === sid)!.revoke();
    }, phoneSession);
    await b.reload();
    await b.waitForFunction(() => document.getElementById("who")?.textContent === "signed out");
    await a.reload();
    await a.waitForFunction(() => document.getElementById("who")?.textContent === "Grace Hopper");

    const refused = await a.evaluate(async () => {
      const w = window as unknown as Win;
      await w.ready;
      try {
        await w.foyer.user!.externalAccounts[0]!.destroy();
        return null;
      } catch (err) {
        return { code: (err as { code: string }).code, message: (err as Error).message };
      }
    });
    expect(refused).toEqual({
      code: "external_account_last_sign_in_method",
      message:
        "This Atlassian account is your only way to sign in, so it cannot be unlinked. Link another account first.",
    });
    await laptop.close();
    await phone.close();
  });
});
