/**
 * The real consent page in Chromium: choose an account, choose a site, Accept, and land on the
 * app's callback with a code and the state.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { artifactPath, launchBrowser } from "@foyer/testkit/browser";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_IDS, demoSeed } from "./demo-seed.js";
import { startAtlassianEmulator } from "./server.js";
import type { RunningEmulator } from "./types.js";

let browser: Browser;
let emulator: RunningEmulator;
let callbackServer: Server;
let callbackUrl: string;
const callbacks: URL[] = [];

beforeAll(async () => {
  callbackServer = createServer((req, res) => {
    callbacks.push(new URL(req.url ?? "/", "http://callback.local"));
    res.writeHead(200, { "Content-Type": "text/html" }).end("<p>callback reached</p>");
  });
  await new Promise<void>((resolve) => callbackServer.listen(0, "127.0.0.1", resolve));
  callbackUrl = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}/v1/oauth_callback`;
  emulator = await startAtlassianEmulator({
    seed: {
      ...demoSeed(),
      apps: [
        {
          clientId: "browser-client",
          clientSecret: "browser-secret",
          name: "Foyer Demo",
          callbackUrl,
          scopes: ["read:me", "read:jira-work", "read:jira-user"],
          shared: true,
        },
      ],
    },
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await emulator?.close();
  await new Promise((resolve) => callbackServer?.close(resolve));
});

describe("consent page in a browser", () => {
  it("account → site → Accept lands on the callback with code and state", async () => {
    const page = await browser.newPage();
    const url = new URL(`${emulator.authUrl}/authorize`);
    url.search = new URLSearchParams({
      audience: "api.atlassian.com",
      client_id: "browser-client",
      scope: "read:me read:jira-work read:jira-user offline_access",
      redirect_uri: callbackUrl,
      state: "browser-state-42",
      response_type: "code",
      prompt: "consent",
    }).toString();

    await page.goto(url.toString());
    await expect(page.getByText("Foyer Atlassian emulator").first().isVisible()).resolves.toBe(true);
    await page.getByLabel(/Ada Lovelace/).check();
    await page.getByRole("button", { name: "Continue", exact: true }).click();

    await page.getByRole("heading", { name: /Foyer Demo is requesting access/ }).waitFor();
    await page.getByRole("radio", { name: /Globex/ }).check();
    await page.screenshot({ path: artifactPath("emulator-consent.png"), fullPage: true });
    await page.getByRole("button", { name: "Accept", exact: true }).click();

    await page.waitForURL((u) => u.toString().startsWith(callbackUrl));
    const landed = new URL(page.url());
    expect(landed.searchParams.get("state")).toBe("browser-state-42");
    expect(landed.searchParams.get("code")).toBeTruthy();
    expect(await page.textContent("body")).toContain("callback reached");
    // The browser also asks the callback host for /favicon.ico; look at the callback hit only.
    const hit = callbacks.filter((u) => u.pathname === "/v1/oauth_callback").at(-1);
    expect(hit?.searchParams.get("code")).toBe(landed.searchParams.get("code"));
    expect(emulator.control.grants()).toEqual([
      expect.objectContaining({ accountId: DEMO_IDS.ada, cloudIds: [DEMO_IDS.globex] }),
    ]);
    await page.close();
  });

  it("Accept is held back until a site is chosen", async () => {
    const page = await browser.newPage();
    const url = new URL(`${emulator.authUrl}/authorize`);
    url.search = new URLSearchParams({
      client_id: "browser-client",
      scope: "read:me read:jira-work",
      redirect_uri: callbackUrl,
      state: "s2",
      response_type: "code",
    }).toString();
    await page.goto(url.toString());
    await page.getByLabel(/Grace Hopper/).check();
    await page.getByRole("button", { name: "Continue", exact: true }).click();
    await page.getByRole("button", { name: "Accept", exact: true }).click();
    // The required radio stops the submit in the browser; we are still on the consent page.
    expect(page.url()).toContain("/authorize/account");
    await page.getByRole("button", { name: "Cancel", exact: true }).click();
    await page.waitForURL((u) => u.toString().startsWith(callbackUrl));
    expect(new URL(page.url()).searchParams.get("error")).toBe("access_denied");
    await page.close();
  });
});
