import type { AddressInfo } from "node:net";
import { type LocalIssuer, startLocalIssuer } from "@foyer/testkit/local-issuer";
import { requireBearerAuth } from "@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearerChallenge, protectedResourceMetadata, protectedResourceMetadataUrl } from "./metadata.js";
import { protectResource, scopesForMessage } from "./protect.js";
import { sdkTokenVerifier } from "./sdk.js";

const RESOURCE = "http://127.0.0.1:3005/mcp";

describe("protected resource metadata (RFC 9728)", () => {
  it("has the document's fields, the issuer as the one authorization server, header-only bearer", () => {
    expect(
      protectedResourceMetadata({
        resource: RESOURCE,
        issuer: "http://localhost:3000/fapi/ins_1",
        scopes: ["jira:read", "confluence:read"],
        resourceName: "Jira MCP",
      }),
    ).toEqual({
      resource: RESOURCE,
      authorization_servers: ["http://localhost:3000/fapi/ins_1"],
      scopes_supported: ["jira:read", "confluence:read"],
      bearer_methods_supported: ["header"],
      resource_name: "Jira MCP",
    });
  });

  it("is served at the well-known prefix inserted before the resource path (what the SDK probes first)", () => {
    expect(protectedResourceMetadataUrl(RESOURCE)).toBe(
      "http://127.0.0.1:3005/.well-known/oauth-protected-resource/mcp",
    );
    expect(protectedResourceMetadataUrl("https://mcp.example.com/")).toBe(
      "https://mcp.example.com/.well-known/oauth-protected-resource",
    );
    expect(protectedResourceMetadataUrl("https://h.example/a/b/")).toBe(
      "https://h.example/.well-known/oauth-protected-resource/a/b",
    );
  });

  it("refuses a resource with a fragment, a query or another scheme at start-up", () => {
    expect(() => protectedResourceMetadataUrl("https://h.example/mcp#x")).toThrow(TypeError);
    expect(() => protectedResourceMetadataUrl("https://h.example/mcp?a=1")).toThrow(TypeError);
    expect(() => protectedResourceMetadataUrl("ftp://h.example/mcp")).toThrow(TypeError);
  });

  it("writes challenges with quoted parameters and no way to break out of the quotes", () => {
    expect(bearerChallenge({ resourceMetadataUrl: "https://h/.well-known/x", scope: ["a", "b"] })).toBe(
      'Bearer resource_metadata="https://h/.well-known/x", scope="a b"',
    );
    expect(
      bearerChallenge({ resourceMetadataUrl: "u", error: "invalid_token", errorDescription: 'say "hi"\\' }),
    ).toBe('Bearer error="invalid_token", error_description="say hi", resource_metadata="u"');
  });
});

describe("protectResource", () => {
  let as: LocalIssuer;
  beforeAll(async () => {
    as = await startLocalIssuer();
  });
  afterAll(() => as.close());

  const protect = () =>
    protectResource({
      publishableKey: as.publishableKey,
      resource: RESOURCE,
      scopes: ["jira:read", "confluence:read"],
    });

  it("takes the issuer from the publishable key", () => {
    const p = protect();
    expect(p.issuer).toBe(as.issuer);
    expect(p.metadata.authorization_servers).toEqual([as.issuer]);
    expect(p.metadataPath).toBe("/.well-known/oauth-protected-resource/mcp");
    expect(() => protectResource({ publishableKey: "pk_nope", resource: RESOURCE, scopes: [] })).toThrow(
      TypeError,
    );
  });

  it("answers a request without a token 401 with the bare challenge naming the metadata", async () => {
    const res = await protect().authenticateRequest(new Request(RESOURCE, { method: "POST" }));
    expect(res).toBeInstanceOf(Response);
    const r = res as Response;
    expect(r.status).toBe(401);
    expect(r.headers.get("www-authenticate")).toBe(
      'Bearer resource_metadata="http://127.0.0.1:3005/.well-known/oauth-protected-resource/mcp"',
    );
  });

  it("answers a refused token 401 invalid_token, a missing scope 403 insufficient_scope with the scopes", async () => {
    const p = protect();
    const wrongAud = await p.authenticate(`Bearer ${await as.sign({ aud: "http://127.0.0.1:1/mcp" })}`);
    expect(wrongAud.ok).toBe(false);
    if (wrongAud.ok) return;
    expect(wrongAud.refusal.status).toBe(401);
    expect(wrongAud.refusal.headers["www-authenticate"]).toMatch(
      /^Bearer error="invalid_token", error_description="[^"]+", resource_metadata="http:\/\/127\.0\.0\.1:3005\/\.well-known\/oauth-protected-resource\/mcp"$/,
    );

    const token = await as.sign({ aud: RESOURCE, scope: "jira:read" });
    const scoped = await p.authenticate(`Bearer ${token}`, ["confluence:read"]);
    expect(scoped.ok).toBe(false);
    if (scoped.ok) return;
    expect(scoped.refusal.status).toBe(403);
    expect(scoped.refusal.headers["www-authenticate"]).toContain('error="insufficient_scope"');
    expect(scoped.refusal.headers["www-authenticate"]).toContain('scope="confluence:read"');

    const ok = await p.authenticate(`bearer ${token}`, ["jira:read"]);
    expect(ok.ok && ok.auth.extra.userId).toBe("user_test");
  });

  it("refuses a header that is not `Bearer <token>` with 400 invalid_request", async () => {
    const r = await protect().authenticate("Basic dXNlcjpwYXNz");
    expect(!r.ok && r.refusal.status).toBe(400);
  });

  it("lists the scopes of each tools/call in a message or batch", () => {
    const scopes = { jira_search: ["jira:read"], confluence_search: ["confluence:read"] };
    expect(scopesForMessage({ jsonrpc: "2.0", id: 1, method: "tools/list" }, scopes)).toEqual([]);
    expect(
      scopesForMessage(
        { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "jira_search" } },
        scopes,
      ),
    ).toEqual(["jira:read"]);
    expect(
      scopesForMessage(
        [
          { method: "tools/call", params: { name: "jira_search" } },
          { method: "tools/call", params: { name: "confluence_search" } },
          { method: "tools/call", params: { name: "__proto__" } },
        ],
        scopes,
      ),
    ).toEqual(["jira:read", "confluence:read"]);
  });
});

describe("sdkTokenVerifier with the MCP SDK's requireBearerAuth", () => {
  let as: LocalIssuer;
  let server: ReturnType<ReturnType<typeof express>["listen"]>;
  let url: string;
  beforeAll(async () => {
    as = await startLocalIssuer();
    const p = protectResource({
      publishableKey: as.publishableKey,
      resource: RESOURCE,
      scopes: ["jira:read"],
    });
    const app = express();
    app.post(
      "/mcp",
      requireBearerAuth({
        verifier: sdkTokenVerifier(p.verifier),
        requiredScopes: ["jira:read"],
        resourceMetadataUrl: p.metadataUrl,
        expectedResource: new URL(RESOURCE),
      }),
      (req, res) => {
        res.json({ user: (req as unknown as { auth: { extra: { userId: string } } }).auth.extra.userId });
      },
    );
    server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await as.close();
  });

  const call = (token: string) =>
    fetch(url, { method: "POST", headers: { authorization: `Bearer ${token}` } });

  it("lets a good token through and turns refusals into the SDK's 401 and 403", async () => {
    const ok = await call(await as.sign({ aud: RESOURCE }));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ user: "user_test" });

    const wrongType = await call(await as.sign({ aud: RESOURCE }, { typ: "JWT" }));
    expect(wrongType.status).toBe(401);
    expect(wrongType.headers.get("www-authenticate")).toContain('error="invalid_token"');

    const noScope = await call(await as.sign({ aud: RESOURCE, scope: "confluence:read" }));
    expect(noScope.status).toBe(403);
    expect(noScope.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
  });
});
