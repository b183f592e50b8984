import { createServer, type Server } from "node:http";
import { authenticateNodeRequest } from "@foyer/backend";
import { artifactPath, launchBrowser } from "@foyer/testkit/browser";
import { createEmulatedFoyer, type EmulatedFoyer } from "@foyer/testkit/emulated-foyer";
import { createTestInstance } from "@foyer/testkit/instances";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * @foyer/js in Chromium, end to end: an app page on its own origin imports the SDK from Foyer's
 * /js/foyer.js, signs in through the hosted page and the Atlassian emulator's consent screen,
 * reads the user, watches getToken() mint a new token as the old one nears expiry (a long
 * refresh leeway stands in for waiting out a 60 s token), proves its app server reads the
 * __session cookie with @foyer/backend, and signs out.
 * One database is enough: storage is covered on both by the HTTP-level tests.
 */
describe("@foyer/js in a real browser", () => {
  let foyer: EmulatedFoyer;
  let browser: Browser;
  let appServer: Server;
  let appOrigin: string;
  let publishableKey: string;
  let pem: string;

  beforeAll(async () => {
    foyer = await createEmulatedFoyer("sqlite", { listen: true });
    const { id } = await createTestInstance(foyer, { name: "Jira Hello" });
    pem = (await (await foyer.platform(`/instances/${id}/public_key`)).json()).pem;

    appServer = createServer(async (req, res) => {
      if (req.url === "/api/me") {
        // The app's own server: the SDK's __session cookie is all it needs.
        const auth = await authenticateNodeRequest(req, { jwtKey: pem, authorizedParties: [appOrigin] });
        res.setHeader("content-type", "application/json");
        res.end(
          JSON.stringify(auth.status === "signed-in" ? { userId: auth.userId } : { reason: auth.reason }),
        );
        return;
      }
      res.setHeader("content-type", "text/html; charset=utf-8");
      res.end(`<!doctype html><title>Jira Hello</title>
<p id="who">loading</p>
<script type="module">
  import { Foyer } from "${foyer.svc.config.publicUrl}/js/foyer.js";
  const foyer = new Foyer("${publishableKey}", { refreshLeewayMs: 56000 });
  window.foyer = foyer;
  foyer.addListener(({ user }) => {
    document.getElementById("who").textContent = user ? user.first_name + " " + user.last_name : "signed out";
  });
  window.ready = foyer.load();
</script>`);
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

  it("signs in with Atlassian, reads the user, refreshes tokens, and signs out", async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await page.goto(`${appOrigin}/`);
    await page.waitForFunction(() => document.getElementById("who")?.textContent === "signed out");

    // signIn.atlassian() goes to the hosted page, which continues to Atlassian at once (auto=1).
    await page.evaluate(() =>
      (
        window as unknown as { foyer: { signIn: { atlassian(o: object): Promise<void> } } }
      ).foyer.signIn.atlassian({ redirectUrl: `${location.origin}/` }),
    );
    await page.getByLabel(/Ada Lovelace/).check();
    await page.getByRole("button", { name: "Continue", exact: true }).click();
    await page.getByRole("radio", { name: /Acme/ }).check();
    await page.getByRole("button", { name: "Accept", exact: true }).click();

    await page.waitForURL(`${appOrigin}/`);
    await page.waitForFunction(() => document.getElementById("who")?.textContent === "Ada Lovelace");
    await page.screenshot({ path: artifactPath("foyer-js-signed-in.png") });

    type Win = {
      foyer: { session: { id: string; getToken(): Promise<string | null> } | null };
      ready: Promise<void>;
    };
    const first = await page.evaluate(async () => {
      const w = window as unknown as Win;
      await w.ready;
      return { token: await w.foyer.session!.getToken(), sid: w.foyer.session!.id };
    });
    expect(first.token).toMatch(/^ey/);
    const claims = JSON.parse(Buffer.from(first.token!.split(".")[1]!, "base64url").toString());
    expect(claims).toMatchObject({ sid: first.sid, azp: appOrigin, tkn: "session" });

    // The app's server sees the user through the __session cookie.
    const me = await page.evaluate(async () => (await fetch("/api/me")).json());
    expect(me).toEqual({ userId: claims.sub });

    // 60 s tokens refreshed 56 s before exp: a few seconds on, getToken() hands out a new one.
    await page.waitForTimeout(5500);
    const second = await page.evaluate(() => (window as unknown as Win).foyer.session!.getToken());
    expect(second).not.toBe(first.token);
    const secondClaims = JSON.parse(Buffer.from(second!.split(".")[1]!, "base64url").toString());
    expect(secondClaims.sid).toBe(first.sid);
    expect(secondClaims.iat).toBeGreaterThan(claims.iat);
    expect(await page.evaluate(() => document.cookie)).toContain(`__session=${second}`);

    await page.evaluate(() => (window as unknown as { foyer: { signOut(): Promise<void> } }).foyer.signOut());
    await page.waitForFunction(() => document.getElementById("who")?.textContent === "signed out");
    expect(await page.evaluate(async () => (await fetch("/api/me")).json())).toEqual({
      reason: "session_token_missing",
    });
    const status = await foyer.svc.db.kysely
      .selectFrom("sessions")
      .select("status")
      .where("id", "=", first.sid)
      .executeTakeFirstOrThrow();
    expect(status.status).toBe("ended");
    // A reload finds no session: the client cookie no longer identifies anything.
    await page.reload();
    await page.waitForFunction(() => document.getElementById("who")?.textContent === "signed out");
    await page.screenshot({ path: artifactPath("foyer-js-signed-out.png") });
    expect(pageErrors).toEqual([]);
  });

  it('starts the sign-in through the Frontend API with mode "api", straight to Atlassian', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${appOrigin}/`);
    await page.waitForFunction(() => document.getElementById("who")?.textContent === "signed out");
    await page.evaluate(() =>
      (
        window as unknown as { foyer: { signIn: { atlassian(o: object): Promise<void> } } }
      ).foyer.signIn.atlassian({ redirectUrl: `${location.origin}/`, mode: "api" }),
    );
    await page.getByLabel(/Grace Hopper/).check();
    await page.getByRole("button", { name: "Continue", exact: true }).click();
    await page.getByRole("radio", { name: /Acme/ }).check();
    await page.getByRole("button", { name: "Accept", exact: true }).click();
    await page.waitForURL(`${appOrigin}/`);
    await page.waitForFunction(() => document.getElementById("who")?.textContent === "Grace Hopper");
    await context.close();
  });
});
