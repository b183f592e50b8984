/**
 * Resource indicators (RFC 8707): what a token may be for. The policy itself over plain values,
 * then a development instance serving an MCP server on loopback it never registered, end to end.
 */
import { codeFlow, tokenRequest } from "@foyer/testkit/authorization-server";
import { DB_KINDS } from "@foyer/testkit/databases";
import { createEmulatedFoyer, type EmulatedFoyer } from "@foyer/testkit/emulated-foyer";
import { createTestInstance, signInTestUser, type TestInstance } from "@foyer/testkit/instances";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resourcePolicy } from "./resources.js";

describe("the resource policy", () => {
  const registered = [{ resource: "https://mcp.example.com/", name: "MCP", scopes: ["mcp:tools"] }];
  const prod = { environment: "production" as const, oauth_resources: registered };
  const dev = { environment: "development" as const, oauth_resources: registered };

  it("serves a registered resource in either URL form, with its own scopes, the audience as asked", () => {
    expect(resourcePolicy(prod, "https://mcp.example.com", ["x"])).toEqual({
      ...registered[0],
      resource: "https://mcp.example.com",
    });
    expect(resourcePolicy(prod, "https://mcp.example.com/", [])).toEqual(registered[0]);
  });

  it("refuses anything else in production, loopback included", () => {
    for (const r of [
      "https://mcp.example.com/other",
      "http://localhost:3000/mcp",
      "https://evil.example/",
      "nope",
    ]) {
      expect(resourcePolicy(prod, r, ["mcp:tools"])).toBeUndefined();
    }
  });

  it("serves loopback http resources in development, with the asked scopes that look like scopes", () => {
    expect(
      resourcePolicy(dev, "http://localhost:3000/mcp", [
        "openid",
        "mcp:tools",
        "Bad Scope",
        "offline_access",
      ]),
    ).toEqual({
      resource: "http://localhost:3000/mcp",
      name: "localhost:3000",
      scopes: ["mcp:tools"],
    });
    expect(resourcePolicy(dev, "http://192.168.1.5/mcp", [])).toBeUndefined();
    expect(resourcePolicy(dev, "http://localhost:3000/mcp#x", [])).toBeUndefined();
  });
});

describe.each(DB_KINDS)("a loopback MCP server on a development instance (%s)", (kind) => {
  let foyer: EmulatedFoyer;
  let t: TestInstance;
  beforeAll(async () => {
    foyer = await createEmulatedFoyer(kind, { listen: true });
    t = await createTestInstance(foyer);
  });
  afterAll(() => foyer.close());

  it("issues a token whose aud is that server and whose scope survives a refresh", async () => {
    const resource = "http://localhost:4321/mcp";
    const { clientToken } = await signInTestUser(foyer, t.instance);
    const flow = await codeFlow(foyer, t, { clientToken, scope: "openid mcp:tools", resource });
    expect(flow.outcome.consentPages[0]).toContain("mcp:tools on localhost:4321");
    // As MCP clients do, the token request names the resource again.
    const tokens = await tokenRequest(t.instance.frontend_api_url, flow.client, {
      grant_type: "authorization_code",
      code: flow.outcome.callback!.searchParams.get("code")!,
      redirect_uri: flow.client.redirect_uris[0]!,
      code_verifier: flow.verifier,
      resource,
    });
    expect(tokens.status).toBe(200);
    const claims = decodeJwt(tokens.body.access_token as string);
    expect(claims.aud).toBe(resource);
    expect(claims.scope).toBe("mcp:tools");
    const refreshed = await tokenRequest(t.instance.frontend_api_url, flow.client, {
      grant_type: "refresh_token",
      refresh_token: tokens.body.refresh_token as string,
      resource,
    });
    expect(refreshed.status).toBe(200);
    const again = decodeJwt(refreshed.body.access_token as string);
    expect(again.aud).toBe(resource);
    expect(again.scope).toBe("mcp:tools");
  });

  it("serves a plain OAuth request (no openid), as MCP clients send it", async () => {
    const resource = "http://127.0.0.1:4322/mcp";
    const { clientToken } = await signInTestUser(foyer, t.instance);
    const flow = await codeFlow(foyer, t, { clientToken, scope: "mcp:tools", resource });
    expect(flow.outcome.consentPages).toHaveLength(1);
    const tokens = await tokenRequest(t.instance.frontend_api_url, flow.client, {
      grant_type: "authorization_code",
      code: flow.outcome.callback!.searchParams.get("code")!,
      redirect_uri: flow.client.redirect_uris[0]!,
      code_verifier: flow.verifier,
      resource,
    });
    expect(tokens.status).toBe(200);
    expect(tokens.body.id_token).toBeUndefined();
    expect(decodeJwt(tokens.body.access_token as string)).toMatchObject({
      aud: resource,
      scope: "mcp:tools",
    });
  });
});
