/**
 * The MCP server as a web-standard handler: the protected resource metadata at its well-known
 * path, and `/mcp` (streamable HTTP, stateless: one McpServer per request) behind Foyer's tokens.
 */
import { createFoyerMcp, type FoyerMcp, type FoyerMcpOptions, scopesForMessage } from "@foyer/mcp";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { JiraMcpOptions } from "./config.js";
import { MCP_SCOPES, registerTools, TOOL_SCOPES } from "./tools.js";

export interface JiraMcp {
  foyer: FoyerMcp;
  handle(request: Request): Promise<Response>;
}

const jsonRpcError = (status: number, code: number, message: string) =>
  Response.json({ jsonrpc: "2.0", error: { code, message }, id: null }, { status });

/** Extra wiring for tests and embedders: a Backend API client, the AS keys, a fetch. */
export type JiraMcpOverrides = Partial<Pick<FoyerMcpOptions, "foyer" | "jwks" | "fetch">>;

export function createJiraMcp(
  options: JiraMcpOptions & { mcpUrl: string },
  overrides: JiraMcpOverrides = {},
): JiraMcp {
  const foyer = createFoyerMcp({
    publishableKey: options.publishableKey,
    secretKey: options.secretKey,
    apiUrl: options.apiUrl,
    resource: options.mcpUrl,
    scopes: MCP_SCOPES,
    resourceName: "Jira MCP (Foyer example)",
    ...overrides,
  });
  const mcpPath = new URL(foyer.resource).pathname;
  const host = new URL(foyer.resource).host;

  async function mcp(request: Request): Promise<Response> {
    if (request.method !== "POST") {
      // Stateless: no standalone SSE stream and no session to delete (MCP transports §2.2, §2.5).
      return new Response(null, { status: 405, headers: { allow: "POST" } });
    }
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      return jsonRpcError(400, -32700, "Parse error: the body is not JSON.");
    }
    const result = await foyer.authenticate(
      request.headers.get("authorization"),
      scopesForMessage(body, TOOL_SCOPES),
    );
    if (!result.ok) {
      const { status, headers, body: refusal } = result.refusal;
      return Response.json(refusal, { status, headers });
    }
    const server = new McpServer({ name: "foyer-jira-mcp", version: "0.1.0" });
    registerTools(server, foyer, result.auth);
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
      // A browser page on another site must not reach a loopback server by DNS rebinding.
      enableDnsRebindingProtection: true,
      allowedHosts: [host],
    });
    await server.connect(transport);
    try {
      return await transport.handleRequest(request, { parsedBody: body, authInfo: result.auth });
    } finally {
      // JSON responses are complete here; the per-request server has nothing left to send.
      await server.close();
    }
  }

  return {
    foyer,
    async handle(request) {
      const { pathname } = new URL(request.url);
      if (pathname === foyer.metadataPath) {
        if (request.method !== "GET" && request.method !== "HEAD") return new Response(null, { status: 405 });
        // Browser-based MCP clients read it cross-origin (RFC 9728 §3: a public document).
        return Response.json(foyer.metadata, { headers: { "access-control-allow-origin": "*" } });
      }
      if (pathname === mcpPath) return mcp(request);
      return new Response("Not found", { status: 404 });
    },
  };
}
