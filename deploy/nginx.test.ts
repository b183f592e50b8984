/**
 * The proxy recipe, run: Debian's nginx with deploy/nginx/foyer.conf (only ports, the name and
 * certificate paths changed) and a self-signed certificate, in front of a production Foyer started
 * through deploy/docker-entrypoint.sh with FOYER_PUBLIC_URL=https://localhost:<nginx port> and
 * FOYER_TRUST_PROXY=1. A real Chromium signs in to a production instance (its own Atlassian app,
 * at the emulator) through nginx: every cookie Foyer sets is Secure, every URL it generates is
 * https on nginx's port, and the Backend API through nginx gives the user's Atlassian token.
 * Drop X-Forwarded-Proto from the recipe and the sign-in stops (https_required).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEMO_IDS, demoSeed, type RunningEmulator, startAtlassianEmulator } from "@foyer/atlassian-emulator";
import { artifactPath, launchBrowser } from "@foyer/testkit/browser";
import { type DeployedFoyer, startDeployedFoyer } from "@foyer/testkit/deployed-foyer";
import { consent, freePort } from "@foyer/testkit/foyer-cli";
import { type RunningNginx, requestTrusting, startNginx } from "@foyer/testkit/nginx";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const PLATFORM_TOKEN = `fyr_plat_${"n".repeat(40)}`;

describe("nginx (deploy/nginx/foyer.conf) in front of a production Foyer", () => {
  let dir: string;
  let emulator: RunningEmulator;
  let nginx: RunningNginx;
  let foyer: DeployedFoyer;
  let foyerPort: number;
  let browser: Browser;
  let instanceId: string;
  let secretKey: string;
  let redirectUri: string;

  const https = (path: string, init: Parameters<typeof requestTrusting>[2] = {}) =>
    requestTrusting(nginx.certificate, `${nginx.url}${path}`, init);
  const platform = (path: string, init: Parameters<typeof requestTrusting>[2] = {}) =>
    https(`/platform/v1${path}`, { ...init, headers: { authorization: `Bearer ${PLATFORM_TOKEN}` } });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "foyer-behind-nginx-"));
    emulator = await startAtlassianEmulator({ seed: demoSeed(), quiet: true });
    foyerPort = await freePort();
    nginx = await startNginx({
      upstreamPort: foyerPort,
      httpsPort: await freePort(),
      httpPort: await freePort(),
    });
    foyer = await startDeployedFoyer({
      NODE_ENV: "production",
      FOYER_PUBLIC_URL: nginx.url,
      FOYER_TRUST_PROXY: "1",
      HOST: "127.0.0.1",
      PORT: String(foyerPort),
      DATABASE_URL: join(dir, "foyer.db"),
      FOYER_DATA_DIR: dir,
      FOYER_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString("base64"),
      FOYER_PLATFORM_TOKEN: PLATFORM_TOKEN,
      FOYER_ATLASSIAN_AUTH_URL: emulator.authUrl,
      FOYER_ATLASSIAN_API_URL: emulator.apiUrl,
      LOG_LEVEL: "info",
    });

    // A production instance with its own Atlassian app, set up through nginx as an operator would.
    const app = await platform("/applications", { method: "POST", json: { name: "Behind nginx" } });
    expect(app.status).toBe(201);
    const prod = await platform(`/applications/${app.json().id}/instances`, {
      method: "POST",
      json: { environment: "production" },
    });
    expect(prod.status).toBe(201);
    instanceId = prod.json().id;
    redirectUri = (await platform(`/instances/${instanceId}/social_connections/atlassian`)).json()
      .redirect_uri;
    const clientId = "foyer-behind-nginx";
    const clientSecret = `secret-${"s".repeat(32)}`;
    emulator.control.upsertApp({
      clientId,
      clientSecret,
      name: "Foyer behind nginx",
      callbackUrl: redirectUri,
      scopes: ["read:me", "read:jira-user"],
      shared: true,
    });
    const connection = await platform(`/instances/${instanceId}/social_connections/atlassian`, {
      method: "PATCH",
      json: {
        enabled: true,
        use_custom_credentials: true,
        client_id: clientId,
        client_secret: clientSecret,
        scopes: ["read:me", "read:jira-user", "offline_access"],
      },
    });
    expect(connection.status, connection.text).toBe(200);
    const key = await platform(`/instances/${instanceId}/secret_keys`, { method: "POST", json: {} });
    expect(key.status, key.text).toBe(201);
    secretKey = key.json().key;
    browser = await launchBrowser({ args: ["--ignore-certificate-errors"] });
  });

  afterAll(async () => {
    await browser?.close();
    await foyer?.stop();
    await nginx?.close();
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("generates https URLs on nginx's port", async () => {
    expect(redirectUri).toBe(`${nginx.url}/fapi/${instanceId}/v1/oauth_callback`);
    const instance = (await platform(`/instances/${instanceId}`)).json();
    expect(instance.frontend_api_url).toBe(`${nginx.url}/fapi/${instanceId}`);
    expect(instance.sign_in_url).toBe(`${nginx.url}/fapi/${instanceId}/sign-in`);
    expect(foyer.stdout()).toContain(`Foyer is ready at ${nginx.url}`);
  });

  it("signs in with Atlassian in a real browser through nginx: Secure cookies, then the token from the Backend API", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const authorizeUrls: string[] = [];
    page.on("request", (req) => {
      if (req.url().startsWith(`${emulator.authUrl}/authorize`)) authorizeUrls.push(req.url());
    });
    await page.goto(`${nginx.url}/fapi/${instanceId}/sign-in`);
    await page.getByRole("button", { name: "Continue with Atlassian" }).click();
    await consent(page, /Ada Lovelace/, /Acme/);
    await page.waitForURL(`${nginx.url}/fapi/${instanceId}/signed-in`).catch(async (err: unknown) => {
      await page.screenshot({ path: artifactPath("nginx-sign-in-failed.png") });
      throw new Error(`not signed in at ${page.url()}: ${(await page.textContent("body"))?.slice(0, 500)}`, {
        cause: err,
      });
    });
    await expect(page.getByTestId("user-name").textContent()).resolves.toBe("Ada Lovelace");

    // Atlassian was asked to send the browser back to https on nginx's port.
    expect(authorizeUrls.length).toBeGreaterThan(0);
    expect(new URL(authorizeUrls[0]!).searchParams.get("redirect_uri")).toBe(redirectUri);
    const cookies = (await context.cookies()).filter((c) => c.domain === "localhost");
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies)
      expect({ name: cookie.name, secure: cookie.secure }).toEqual({ name: cookie.name, secure: true });
    await context.close();

    const users = await https("/v1/users", { headers: { authorization: `Bearer ${secretKey}` } });
    expect(users.status).toBe(200);
    const [user] = users.json();
    const tokens = await https(`/v1/users/${user.id}/oauth_access_tokens/oauth_atlassian`, {
      headers: { authorization: `Bearer ${secretKey}` },
    });
    expect(tokens.status).toBe(200);
    const [account] = tokens.json();
    expect(account.provider_user_id).toBe(DEMO_IDS.ada);
    // A real token: Atlassian's API answers it with Ada's profile.
    const me = await fetch(`${emulator.apiUrl}/me`, {
      headers: { authorization: `Bearer ${account.token}` },
    });
    expect(me.status).toBe(200);
    expect((await me.json()).account_id).toBe(DEMO_IDS.ada);
  });

  it("lets a logo upload up to Foyer's 1 MiB through, and stops large bodies elsewhere early", async () => {
    const backend = (path: string, init: Parameters<typeof requestTrusting>[2] = {}) =>
      https(`/v1${path}`, { ...init, headers: { authorization: `Bearer ${secretKey}`, ...init.headers } });
    const org = await backend("/organizations", { method: "POST", json: { name: "Logo via nginx" } });
    expect(org.status, org.text).toBe(200);
    const png = Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), Buffer.alloc(900 * 1024, 1)]);
    const boundary = "foyer-nginx-logo";
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="logo.png"\r\n`),
      Buffer.from("Content-Type: image/png\r\n\r\n"),
      png,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const logo = await backend(`/organizations/${org.json().id}/logo`, {
      method: "PUT",
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
      body,
    });
    expect(logo.status, logo.text.slice(0, 300)).toBe(200);
    expect(logo.json().image_url).toMatch(new RegExp(`^${nginx.url}/organization_logos/img_`));
    const served = await https(new URL(logo.json().image_url).pathname);
    expect(served.headers["content-type"]).toBe("image/png");
    // The same size anywhere else: nginx refuses it before Foyer reads it.
    const elsewhere = await backend(`/organizations/${org.json().id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: Buffer.from(JSON.stringify({ name: "x".repeat(900 * 1024) })),
    });
    expect(elsewhere.status).toBe(413);
  });

  it("redirects plain http to https, and sends HSTS over https", async () => {
    const plain = await fetch(`http://localhost:${nginx.httpPort}/dashboard/sign-in`, { redirect: "manual" });
    expect(plain.status).toBe(301);
    expect(plain.headers.get("location")).toBe("https://localhost/dashboard/sign-in");
    const secure = await https("/dashboard/sign-in");
    expect(secure.status).toBe(200);
    expect(secure.headers["strict-transport-security"]).toMatch(/^max-age=\d{8,}/);
  });

  it("answers health checks through nginx and straight at the process; the rest needs the proxy's https mark", async () => {
    expect((await https("/readyz")).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${foyerPort}/readyz`)).status).toBe(200);
    const bypass = await fetch(`http://127.0.0.1:${foyerPort}/dashboard/sign-in`);
    expect(bypass.status).toBe(400);
    expect((await bypass.json()).errors[0].code).toBe("https_required");
  });

  it("keeps the banner alone on stdout and JSON logs on stderr", () => {
    expect(foyer.stdout()).not.toMatch(/^\{/m);
    const logLines = foyer.stderr().split("\n").filter(Boolean);
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) expect(() => JSON.parse(line)).not.toThrow();
  });
});
