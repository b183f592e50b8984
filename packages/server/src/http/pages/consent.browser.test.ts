import { createServer, type Server } from "node:http";
import { authorizeUrlFor, pkcePair, registerOAuthApplication } from "@foyer/testkit/authorization-server";
import { artifactPath, launchBrowser } from "@foyer/testkit/browser";
import { createEmulatedFoyer, type EmulatedFoyer } from "@foyer/testkit/emulated-foyer";
import { createTestInstance, type TestInstance } from "@foyer/testkit/instances";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// One database: this is about the pages in a real browser; storage is covered on both
// databases by the HTTP-level tests in authorization-server/.
describe("The authorization server's sign-in and consent in a real browser", () => {
  let foyer: EmulatedFoyer;
  let browser: Browser;
  let t: TestInstance;
  let app: Server;
  let appUrl: string;

  beforeAll(async () => {
    foyer = await createEmulatedFoyer("sqlite", { listen: true });
    t = await createTestInstance(foyer, {
      name: "Jira Hello",
      patch: {
        oauth_resources: [
          { resource: "https://mcp.example.com/mcp", name: "Jira MCP", scopes: ["jira:read"] },
        ],
      },
    });
    app = createServer((_req, res) => res.end("client callback"));
    await new Promise<void>((r) => app.listen(0, "127.0.0.1", r));
    appUrl = `http://127.0.0.1:${(app.address() as { port: number }).port}`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await foyer?.close();
    await new Promise<void>((r) => app.close(() => r()));
  });

  it("signs in with Atlassian at the interaction, then approves the client from the keyboard", async () => {
    const client = await registerOAuthApplication(foyer, t.id, {
      name: "Claude",
      redirect_uris: [`${appUrl}/cb`],
    });
    const { challenge } = pkcePair();
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") violations.push(m.text());
    });
    await page.goto(
      authorizeUrlFor(t.instance.frontend_api_url, {
        client_id: client.client_id,
        redirect_uri: `${appUrl}/cb`,
        response_type: "code",
        scope: "openid profile jira:read",
        resource: "https://mcp.example.com/mcp",
        state: "browser-state",
        code_challenge: challenge,
        code_challenge_method: "S256",
      }),
    );
    // No Foyer session yet: the hosted sign-in page, then Atlassian's (emulated) consent.
    await page.getByRole("button", { name: "Continue with Atlassian" }).click();
    await page.getByLabel(/Ada Lovelace/).check();
    await page.getByRole("button", { name: "Continue", exact: true }).click();
    await page.getByRole("radio", { name: /Acme/ }).check();
    await page.getByRole("button", { name: "Accept", exact: true }).click();

    // Back at the authorization: Foyer's consent page names the client, the scopes and the resource.
    await page.getByTestId("consent-title").waitFor();
    await expect(page.getByTestId("consent-title").textContent()).resolves.toBe("Allow Claude?");
    await expect(page.getByTestId("consent-resource").textContent()).resolves.toBe("Jira MCP");
    await expect(page.getByTestId("consent-redirect").textContent()).resolves.toBe(`${appUrl}/cb`);
    await expect(page.getByTestId("consent-scopes").textContent()).resolves.toContain(
      "jira:read on Jira MCP",
    );
    await page.screenshot({ path: artifactPath("oauth-consent-page.png") });

    await page.getByTestId("approve").focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(`${appUrl}/cb?**`);
    const callback = new URL(page.url());
    expect(callback.searchParams.get("code")).toBeTruthy();
    expect(callback.searchParams.get("state")).toBe("browser-state");
    expect(callback.searchParams.get("iss")).toBe(t.instance.frontend_api_url);
    // The page's inline style ran under its CSP nonce: no violation reported.
    expect(violations.filter((v) => v.includes("Content Security Policy"))).toEqual([]);
  });

  it("serves the consent page under a strict CSP that forbids framing", async () => {
    const res = await fetch(`${t.instance.frontend_api_url}/oauth/interaction/unknown`);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });
});
