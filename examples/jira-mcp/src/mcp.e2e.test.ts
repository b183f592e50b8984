/**
 * End to end against the real thing: a listening Foyer with its own authorization server, the
 * emulator as Atlassian, this example MCP server, and the official MCP SDK client doing its own
 * OAuth (`OAuthClientProvider`: discovery from the protected resource metadata and the AS
 * metadata, PKCE, the consent page, the code exchange) for a client registered on the Platform
 * API (the SDK registering itself: mcp.e2e.registration.test.ts). The browser is testkit's HTTP
 * one (cookies, redirects, the pages' forms posted as a browser posts them).
 */
import { DEMO_IDS } from "@foyer/atlassian-emulator";
import {
  authorize,
  codeFlow,
  exchangeCode,
  registerOAuthApplication,
} from "@foyer/testkit/authorization-server";
import { DB_KINDS } from "@foyer/testkit/databases";
import {
  browserRequest,
  CookieJar,
  consentAt,
  createEmulatedFoyer,
  type EmulatedFoyer,
  SHARED_CLIENT_ID,
  signInFlow,
} from "@foyer/testkit/emulated-foyer";
import { createTestInstance, type TestInstance } from "@foyer/testkit/instances";
import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from "@modelcontextprotocol/sdk/shared/auth.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningJiraMcp, startJiraMcp } from "./server.js";

const REDIRECT = "http://127.0.0.1:9/callback";

/** An MCP client's OAuth state, kept in memory; the "browser" it opens is `authorizationUrl`. */
class MemoryProvider implements OAuthClientProvider {
  client: OAuthClientInformationMixed | undefined;
  saved: OAuthTokens | undefined;
  verifier = "";
  authorizationUrl: URL | undefined;
  get redirectUrl() {
    return REDIRECT;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: "E2E agent",
      redirect_uris: [REDIRECT],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    };
  }
  clientInformation() {
    return this.client;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.client = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(v: string) {
    this.verifier = v;
  }
  codeVerifier() {
    return this.verifier;
  }
}

describe.each(DB_KINDS)("an MCP client through Foyer's authorization server (%s)", (kind) => {
  let foyer: EmulatedFoyer;
  let t: TestInstance;
  let mcp: RunningJiraMcp;
  const ada = new CookieJar();
  const provider = new MemoryProvider();

  beforeAll(async () => {
    foyer = await createEmulatedFoyer(kind, { listen: true });
    t = await createTestInstance(foyer, { patch: { oauth_dynamic_client_registration: true } });
    await signInFlow(foyer, ada, t.id, { accountId: DEMO_IDS.ada, cloudId: DEMO_IDS.acme });
    // Registered ahead (Platform API) as a public client, the operator's way; the SDK registering
    // itself (DCR, metadata document) is mcp.e2e.registration.test.ts.
    const registered = await registerOAuthApplication(foyer, t.id, {
      name: "E2E agent",
      redirect_uris: [REDIRECT],
      public: true,
    });
    provider.client = { client_id: registered.client_id };
    mcp = await startJiraMcp({
      publishableKey: t.publishableKey,
      secretKey: t.secretKey,
      apiUrl: foyer.svc.config.publicUrl,
      port: 0,
      host: "127.0.0.1",
    });
  });
  afterAll(async () => {
    await mcp?.close();
    await foyer?.close();
  });

  const connect = async () => {
    const client = new Client({ name: "e2e-agent", version: "0.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(mcp.url), { authProvider: provider }));
    return client;
  };
  /** The user opens the step-up URL: Foyer's connect page, its form, Atlassian's consent, back. */
  const reconnect = async (url: string) => {
    const page = await browserRequest(foyer, ada, url);
    expect(page.status).toBe(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    const scope = new URL(url).searchParams.get("scope") ?? "";
    const started = await browserRequest(foyer, ada, url.split("?")[0]!, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: new URL(url).origin },
      body: new URLSearchParams({ _csrf: csrf, scope }).toString(),
    });
    expect(started.status).toBe(303);
    const callback = await consentAt(foyer, started.headers.get("location")!, {
      accountId: DEMO_IDS.ada,
      cloudId: DEMO_IDS.acme,
    });
    const done = await browserRequest(foyer, ada, callback);
    expect(done.headers.get("location")).toContain("/connect/atlassian/done");
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
  const search = (client: Client) =>
    client.callTool({
      name: "jira_search",
      arguments: { cloud_id: DEMO_IDS.acme, jql: "project = DEMO ORDER BY key" },
    });

  it("discovers Foyer from the server's metadata, gets the user's consent and calls the tools, with a step-up for a missing Atlassian scope", async () => {
    // First contact: 401, discovery from the metadata, then the browser is sent to authorize.
    await expect(connect()).rejects.toThrow(/Unauthorized/i);
    const authorizationUrl = provider.authorizationUrl!;
    expect(`${authorizationUrl.origin}${authorizationUrl.pathname}`).toBe(
      `${t.instance.frontend_api_url}/oauth/authorize`,
    );
    expect(authorizationUrl.searchParams.get("resource")).toBe(mcp.url);

    const outcome = await authorize(ada, authorizationUrl.href, REDIRECT);
    expect(outcome.consentPages.length).toBe(1);
    const code = outcome.callback!.searchParams.get("code")!;
    const transport = new StreamableHTTPClientTransport(new URL(mcp.url), { authProvider: provider });
    await transport.finishAuth(code);
    expect(provider.saved?.access_token).toBeTruthy();

    const client = await connect();
    const tools = (await client.listTools()).tools.map((tool) => tool.name).sort();
    expect(tools).toEqual(["confluence_search", "jira_get_issue", "jira_search", "list_sites"]);
    const sites = (await client.callTool({ name: "list_sites", arguments: {} })).structuredContent as {
      sites: Array<{ cloud_id: string }>;
    };
    expect(sites.sites.map((s) => s.cloud_id)).toContain(DEMO_IDS.acme);

    // Signed in with the default scopes, the grant cannot search Jira: the step-up sends the user
    // to Foyer's connect page for read:jira-work, and the same call works afterwards.
    const url = await stepUpUrl(search(client));
    expect(new URL(url).searchParams.get("scope")).toBe("read:jira-work");
    await reconnect(url);
    const found = await search(client);
    expect(found.isError).toBeFalsy();
    expect(
      (found.structuredContent as { issues: Array<{ key: string }> }).issues.map((i) => i.key),
    ).toContain("DEMO-1");
    await client.close();
  });

  it("answers the step-up once the user revokes the app at Atlassian, and works again after reconnecting", async () => {
    const client = await connect();
    foyer.emulator.control.revokeGrant(SHARED_CLIENT_ID, DEMO_IDS.ada);
    foyer.advance(6_000);
    const url = await stepUpUrl(search(client));
    await reconnect(url);
    expect((await search(client)).isError).toBeFalsy();
    await client.close();
  });

  const call = (token: string) =>
    fetch(mcp.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });

  it("refuses a token Foyer issued for another resource (audience)", async () => {
    const flow = await codeFlow(foyer, t, {
      jar: ada,
      scope: "jira:read",
      resource: "http://127.0.0.1:1/other-mcp",
    });
    const token = (await exchangeCode(t, flow)).body.access_token as string;
    expect(token).toBeTruthy();
    const res = await call(token);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain('error="invalid_token"');
    // The genuine token of the client above still works.
    expect((await call(provider.saved!.access_token)).status).toBe(200);
  });

  it("refuses a token from another instance's authorization server", async () => {
    const other = await createTestInstance(foyer);
    const jar = new CookieJar();
    await signInFlow(foyer, jar, other.id, { accountId: DEMO_IDS.ada, cloudId: DEMO_IDS.acme });
    const client = await registerOAuthApplication(foyer, other.id, {
      redirect_uris: ["http://127.0.0.1:9/cb"],
    });
    const flow = await codeFlow(foyer, other, { client, jar, scope: "jira:read", resource: mcp.url });
    const token = (await exchangeCode(other, flow)).body.access_token as string;
    expect(token).toBeTruthy();
    const res = await call(token);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });
});
