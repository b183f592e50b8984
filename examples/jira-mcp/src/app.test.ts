/**
 * The example MCP server end to end on one side: the official MCP SDK client over real HTTP, a real
 * Foyer's Backend API (appFetch) and the emulator's real Atlassian tokens. The MCP access tokens
 * come from a loopback issuer (real keys, real JWKS over HTTP); the test against Foyer's own
 * authorization server is mcp.e2e.browser.test.ts.
 */
import { createFoyerClient, type FoyerClient } from "@foyer/backend";
import {
  DEMO_IDS,
  newEmulatorAccount,
  seedAtlassianUser,
  startTokenEmulator,
  TEST_SCOPES,
  type TokenEmulator,
} from "@foyer/testkit/atlassian-user";
import {
  appFetch,
  createTestFoyer,
  createTestInstance,
  DB_KINDS,
  type TestFoyer,
} from "@foyer/testkit/backend-sdk";
import { insertTestUser } from "@foyer/testkit/instances";
import { type LocalIssuer, startLocalIssuer } from "@foyer/testkit/local-issuer";
import { discoverOAuthProtectedResourceMetadata } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningJiraMcp, startJiraMcp } from "./server.js";

describe.each(DB_KINDS)("jira-mcp (%s)", (kind) => {
  let te: TokenEmulator;
  let foyer: TestFoyer;
  let as: LocalIssuer;
  let mcp: RunningJiraMcp;
  let client: FoyerClient;
  let instanceId: string;

  beforeAll(async () => {
    te = await startTokenEmulator();
    foyer = await createTestFoyer(kind, { atlassian: te.atlassian });
    const t = await createTestInstance(foyer);
    instanceId = t.id;
    as = await startLocalIssuer();
    client = createFoyerClient({
      secretKey: t.secretKey,
      apiUrl: foyer.svc.config.publicUrl,
      fetch: appFetch(foyer),
    });
    mcp = await startJiraMcp(
      {
        publishableKey: as.publishableKey,
        secretKey: t.secretKey,
        apiUrl: foyer.svc.config.publicUrl,
        port: 0,
        host: "127.0.0.1",
      },
      { foyer: client },
    );
  });
  afterAll(async () => {
    await mcp?.close();
    await foyer?.close();
    await te?.emulator.close();
    await as?.close();
  });

  const seed = async (scopes = [...TEST_SCOPES, "search:confluence"]) => {
    const accountId = newEmulatorAccount(te);
    return seedAtlassianUser(foyer, te, { instanceId, accountId, scopes, cloudId: DEMO_IDS.acme });
  };
  const connect = async (token: string) => {
    const c = new Client({ name: "jira-mcp-test", version: "0.0.0" });
    await c.connect(
      new StreamableHTTPClientTransport(new URL(mcp.url), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    return c;
  };
  const tokenFor = (userId: string, scope = "jira:read confluence:read") =>
    as.sign({ aud: mcp.url, sub: userId, scope });
  const data = (result: Awaited<ReturnType<Client["callTool"]>>) => {
    expect(result.isError).toBeFalsy();
    return result.structuredContent as Record<string, never>;
  };

  it("publishes its protected resource metadata where the SDK client looks, naming the issuer", async () => {
    expect(mcp.url).toMatch(/^http:\/\/localhost:\d+\/mcp$/);
    const meta = await discoverOAuthProtectedResourceMetadata(new URL(mcp.url));
    expect(meta).toEqual({
      resource: mcp.url,
      authorization_servers: [as.issuer],
      scopes_supported: ["jira:read", "confluence:read"],
      bearer_methods_supported: ["header"],
      resource_name: "Jira MCP (Foyer example)",
    });
  });

  it("answers 401 with the challenge without a token, and to a token for another resource", async () => {
    const init = { jsonrpc: "2.0", id: 1, method: "tools/list" };
    const post = (headers: Record<string, string> = {}) =>
      fetch(mcp.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          ...headers,
        },
        body: JSON.stringify(init),
      });
    const bare = await post();
    expect(bare.status).toBe(401);
    expect(bare.headers.get("www-authenticate")).toContain(
      `resource_metadata="${new URL(mcp.url).origin}/.well-known/oauth-protected-resource/mcp"`,
    );
    const other = await post({ authorization: `Bearer ${await as.sign({ aud: "http://localhost:1/mcp" })}` });
    expect(other.status).toBe(401);
    expect(other.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("answers 403 insufficient_scope when a tool needs a scope the token lacks", async () => {
    const { userId } = await seed();
    const res = await fetch(mcp.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        authorization: `Bearer ${await tokenFor(userId, "jira:read")}`,
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 2,
        method: "tools/call",
        params: { name: "confluence_search", arguments: { cloud_id: DEMO_IDS.acme, cql: "type = page" } },
      }),
    });
    expect(res.status).toBe(403);
    expect(res.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
    expect(res.headers.get("www-authenticate")).toContain('scope="confluence:read"');
  });

  it("lists its tools and the user's sites", async () => {
    const { userId } = await seed();
    const c = await connect(await tokenFor(userId));
    const tools = (await c.listTools()).tools.map((t) => t.name).sort();
    expect(tools).toEqual(["confluence_search", "jira_get_issue", "jira_search", "list_sites"]);
    const sites = data(await c.callTool({ name: "list_sites", arguments: {} })).sites as unknown as Array<{
      cloud_id: string;
    }>;
    expect(sites.map((s) => s.cloud_id)).toContain(DEMO_IDS.acme);
    await c.close();
  });

  it("searches Jira with JQL, page by page with next_page_token", async () => {
    const { userId } = await seed();
    const c = await connect(await tokenFor(userId));
    const args = { cloud_id: DEMO_IDS.acme, jql: "project = DEMO ORDER BY key ASC", max_results: 2 };
    const first = data(await c.callTool({ name: "jira_search", arguments: args }));
    expect((first.issues as unknown as Array<{ key: string }>).map((i) => i.key)).toEqual([
      "DEMO-1",
      "DEMO-2",
    ]);
    expect(first.is_last).toBe(false);
    const second = data(
      await c.callTool({
        name: "jira_search",
        arguments: { ...args, next_page_token: first.next_page_token },
      }),
    );
    expect((second.issues as unknown as Array<{ key: string }>).map((i) => i.key)).toEqual(["DEMO-3"]);
    expect(second.is_last).toBe(true);
    // Jira's own refusal comes back as a tool error the agent can read.
    const unbounded = await c.callTool({
      name: "jira_search",
      arguments: { cloud_id: DEMO_IDS.acme, jql: "ORDER BY key" },
    });
    expect(unbounded.isError).toBe(true);
    await c.close();
  });

  it("gets one issue, and says so when it does not exist", async () => {
    const { userId } = await seed();
    const c = await connect(await tokenFor(userId));
    const issue = data(
      await c.callTool({
        name: "jira_get_issue",
        arguments: { cloud_id: DEMO_IDS.acme, issue_key: "DEMO-1" },
      }),
    );
    expect(issue).toMatchObject({ key: "DEMO-1", fields: { summary: expect.any(String) } });
    expect(String(issue.url)).toMatch(/\/browse\/DEMO-1$/);
    const missing = await c.callTool({
      name: "jira_get_issue",
      arguments: { cloud_id: DEMO_IDS.acme, issue_key: "DEMO-999" },
    });
    expect(missing.isError).toBe(true);
    expect(JSON.stringify(missing.content)).toContain("Issue does not exist");
    await c.close();
  });

  it("searches Confluence with CQL", async () => {
    const { userId } = await seed();
    const c = await connect(await tokenFor(userId));
    const found = data(
      await c.callTool({
        name: "confluence_search",
        arguments: { cloud_id: DEMO_IDS.acme, cql: 'text ~ "getting started"' },
      }),
    );
    expect((found.results as unknown as unknown[]).length).toBe(2);
    await c.close();
  });

  it("asks the user to reconnect (URL elicitation, -32042) when the grant lacks the Atlassian scope", async () => {
    const { userId } = await seed(TEST_SCOPES);
    const c = await connect(await tokenFor(userId));
    const err = await c
      .callTool({ name: "confluence_search", arguments: { cloud_id: DEMO_IDS.acme, cql: "type = page" } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(McpError);
    expect((err as McpError).code).toBe(ErrorCode.UrlElicitationRequired);
    const [elicitation] = ((err as McpError).data as { elicitations: Array<{ mode: string; url: string }> })
      .elicitations;
    expect(elicitation!.mode).toBe("url");
    const url = new URL(elicitation!.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${as.issuer}/connect/atlassian`);
    expect(url.searchParams.get("scope")).toBe("search:confluence");
    expect(url.searchParams.get("cloud_id")).toBe(DEMO_IDS.acme);
    await c.close();
  });
});

describe.each(DB_KINDS)("jira-mcp without any Atlassian connection (%s)", (kind) => {
  let foyer: TestFoyer;
  let as: LocalIssuer;
  let mcp: RunningJiraMcp;
  afterAll(async () => {
    await mcp?.close();
    await foyer?.close();
    await as?.close();
  });

  it("answers list_sites with the URL that connects Atlassian", async () => {
    foyer = await createTestFoyer(kind);
    const t = await createTestInstance(foyer);
    as = await startLocalIssuer();
    const client = createFoyerClient({
      secretKey: t.secretKey,
      apiUrl: foyer.svc.config.publicUrl,
      fetch: appFetch(foyer),
    });
    mcp = await startJiraMcp(
      {
        publishableKey: as.publishableKey,
        secretKey: t.secretKey,
        apiUrl: foyer.svc.config.publicUrl,
        port: 0,
        host: "127.0.0.1",
      },
      { foyer: client },
    );
    const user = await insertTestUser(foyer, t.instance);
    const c = new Client({ name: "jira-mcp-test", version: "0.0.0" });
    const token = await as.sign({ aud: mcp.url, sub: user.id, scope: "jira:read" });
    await c.connect(
      new StreamableHTTPClientTransport(new URL(mcp.url), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    const err = await c.callTool({ name: "list_sites", arguments: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(McpError);
    expect((err as McpError).code).toBe(ErrorCode.UrlElicitationRequired);
    const url = new URL(
      ((err as McpError).data as { elicitations: Array<{ url: string }> }).elicitations[0]!.url,
    );
    expect(url.pathname.endsWith("/connect/atlassian")).toBe(true);
    expect(url.searchParams.get("scope")).toBe("read:jira-work search:confluence");
    await c.close();
  });
});
