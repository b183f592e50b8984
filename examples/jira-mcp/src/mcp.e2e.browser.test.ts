/**
 * The same journey as mcp.e2e.test.ts with a real browser (Debian's Chromium): the MCP SDK client
 * does its OAuth, registering itself by a Client ID Metadata Document served over HTTPS on
 * loopback (Foyer fetches it, trusting the test's CA), and the user signs in with Atlassian on the emulator's consent page, allows the
 * agent on Foyer's consent page, and later reconnects Atlassian on Foyer's connect page after
 * revoking the app at Atlassian.
 */
import { DEMO_IDS } from "@foyer/atlassian-emulator";
import { artifactPath, launchBrowser } from "@foyer/testkit/browser";
import { createEmulatedFoyer, type EmulatedFoyer, SHARED_CLIENT_ID } from "@foyer/testkit/emulated-foyer";
import { consent } from "@foyer/testkit/foyer-cli";
import { createTestInstance, type TestInstance } from "@foyer/testkit/instances";
import { type LoopbackHttps, startLoopbackHttps } from "@foyer/testkit/loopback-https";
import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { OAuthClientInformationMixed, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningJiraMcp, startJiraMcp } from "./server.js";

const REDIRECT = "http://127.0.0.1:9/callback";

class BrowserProvider implements OAuthClientProvider {
  client: OAuthClientInformationMixed | undefined;
  constructor(readonly clientMetadataUrl: string) {}
  saved: OAuthTokens | undefined;
  verifier = "";
  authorizationUrl: URL | undefined;
  readonly redirectUrl = REDIRECT;
  readonly clientMetadata = {
    client_name: "Browser E2E agent",
    redirect_uris: [REDIRECT],
    token_endpoint_auth_method: "none",
  };
  clientInformation = () => this.client;
  saveClientInformation = (info: OAuthClientInformationMixed) => {
    this.client = info;
  };
  tokens = () => this.saved;
  saveTokens = (tokens: OAuthTokens) => {
    this.saved = tokens;
  };
  redirectToAuthorization = (url: URL) => {
    this.authorizationUrl = url;
  };
  saveCodeVerifier = (v: string) => {
    this.verifier = v;
  };
  codeVerifier = () => this.verifier;
}

describe("an agent, a person and Chromium through Foyer's authorization server", () => {
  let foyer: EmulatedFoyer;
  let t: TestInstance;
  let mcp: RunningJiraMcp;
  let browser: Browser;
  let page: Page;
  let docs: LoopbackHttps;
  let provider: BrowserProvider;

  beforeAll(async () => {
    // The agent's metadata document: no registration anywhere, the URL is its client_id.
    docs = await startLoopbackHttps((_req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({
          client_id: provider.clientMetadataUrl,
          client_name: "Browser E2E agent",
          redirect_uris: [REDIRECT],
          token_endpoint_auth_method: "none",
        }),
      );
    });
    provider = new BrowserProvider(`${docs.origin}/agent.json`);
    foyer = await createEmulatedFoyer("sqlite", { listen: true, outboundCa: [docs.ca] });
    t = await createTestInstance(foyer);
    mcp = await startJiraMcp({
      publishableKey: t.publishableKey,
      secretKey: t.secretKey,
      apiUrl: foyer.svc.config.publicUrl,
      port: 0,
      host: "127.0.0.1",
    });
    browser = await launchBrowser();
    page = await browser.newPage();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await mcp?.close();
    await foyer?.close();
    await docs?.close();
  });

  const connect = async () => {
    const client = new Client({ name: "browser-e2e-agent", version: "0.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(mcp.url), { authProvider: provider }));
    return client;
  };
  /** The browser follows a URL until the client's redirect URI, which is caught, not loaded. */
  const codeFromBrowser = async (url: string) => {
    const code = new Promise<string>((resolve) => {
      void page.route("http://127.0.0.1:9/**", async (route) => {
        resolve(new URL(route.request().url()).searchParams.get("code") ?? "");
        await route.fulfill({ status: 200, body: "back in the agent" });
      });
    });
    await page.goto(url);
    return code;
  };
  const stepUpUrl = async (p: Promise<unknown>) => {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(McpError);
    expect((err as McpError).code).toBe(ErrorCode.UrlElicitationRequired);
    return ((err as McpError).data as { elicitations: Array<{ url: string }> }).elicitations[0]!.url;
  };
  /** The person opens the step-up URL in the browser and reconnects Atlassian. */
  const reconnectInBrowser = async (url: string) => {
    await page.goto(url);
    await page.getByRole("button", { name: "Continue to Atlassian" }).click();
    await consent(page, /Ada Lovelace/, /Acme/);
    await page.getByTestId("connect-done").waitFor();
  };
  const search = (client: Client) =>
    client.callTool({
      name: "jira_search",
      arguments: { cloud_id: DEMO_IDS.acme, jql: "project = DEMO ORDER BY key" },
    });

  it("signs in, allows the agent, steps up for Jira, and reconnects after a revocation", {
    timeout: 90_000,
  }, async () => {
    try {
      await expect(connect()).rejects.toThrow(/Unauthorized/i);
      const code = codeFromBrowser(provider.authorizationUrl!.href);
      // Not signed in to Foyer yet: Foyer's sign-in page, then the emulator's consent page.
      await page.getByRole("button", { name: "Continue with Atlassian" }).click();
      await consent(page, /Ada Lovelace/, /Acme/);
      // Foyer's own consent page for the agent, naming the MCP server.
      await expect(page.getByTestId("consent-title").textContent()).resolves.toContain("Browser E2E agent");
      await expect(page.getByTestId("client-host").textContent()).resolves.toContain(
        new URL(docs.origin).host,
      );
      expect(provider.client?.client_id).toBe(provider.clientMetadataUrl);
      await page.getByTestId("approve").click();
      const transport = new StreamableHTTPClientTransport(new URL(mcp.url), { authProvider: provider });
      await transport.finishAuth(await code);

      const client = await connect();
      expect((await client.listTools()).tools.map((tool) => tool.name)).toContain("jira_search");
      // The sign-in's scopes cannot search Jira: the person reconnects with read:jira-work.
      await reconnectInBrowser(await stepUpUrl(search(client)));
      const found = await search(client);
      expect(found.isError).toBeFalsy();
      expect((found.structuredContent as { issues: Array<{ key: string }> }).issues.length).toBeGreaterThan(
        0,
      );

      // The person revokes the app at Atlassian: the next call is a step-up again, then works.
      foyer.emulator.control.revokeGrant(SHARED_CLIENT_ID, DEMO_IDS.ada);
      foyer.advance(6_000);
      await reconnectInBrowser(await stepUpUrl(search(client)));
      expect((await search(client)).isError).toBeFalsy();
      await client.close();
    } catch (err) {
      await page.screenshot({ path: artifactPath("mcp-e2e-failed.png") });
      throw err;
    }
  });
});
