/**
 * The Platform API side of the authorization server: pre-registered clients (secret shown once,
 * kept as a hash; redirect URIs checked), the instance settings `oauth_resources` and
 * `oauth_dynamic_client_registration`, and the socket-less request handler's coded answer.
 */

import { dumpAllTables } from "@foyer/testkit/atlassian-user";
import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { createTestInstance, type TestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe.each(DB_KINDS)("OAuth applications and settings on the Platform API (%s)", (kind) => {
  let foyer: TestFoyer;
  let t: TestInstance;
  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
    t = await createTestInstance(foyer);
  });
  afterAll(() => foyer.close());

  it("creates a confidential client whose secret is shown once and stored as a hash", async () => {
    const res = await foyer.platform(`/instances/${t.id}/oauth_applications`, {
      method: "POST",
      json: {
        name: "Reporting app",
        redirect_uris: ["https://app.example.com/cb", "http://localhost:3000/cb"],
      },
    });
    expect(res.status).toBe(201);
    const created = await res.json();
    expect(created).toMatchObject({ object: "oauth_application", public: false, name: "Reporting app" });
    expect(created.client_secret).toMatch(/^fyr_cs_/);
    expect(await dumpAllTables(foyer)).not.toContain(created.client_secret);
    const list = await (await foyer.platform(`/instances/${t.id}/oauth_applications`)).json();
    expect(list.data.find((a: { id: string }) => a.id === created.id).client_secret).toBeUndefined();
    const del = await foyer.platform(`/instances/${t.id}/oauth_applications/${created.id}`, {
      method: "DELETE",
    });
    expect(del.status).toBe(200);
    expect(
      (await foyer.platform(`/instances/${t.id}/oauth_applications/${created.id}`, { method: "DELETE" }))
        .status,
    ).toBe(404);
  });

  it("creates a public client without a secret", async () => {
    const res = await foyer.platform(`/instances/${t.id}/oauth_applications`, {
      method: "POST",
      json: { name: "CLI", redirect_uris: ["http://127.0.0.1:8765/callback"], public: true },
    });
    const created = await res.json();
    expect(created.public).toBe(true);
    expect(created.client_secret).toBeUndefined();
  });

  it.each([
    "http://app.example.com/cb",
    "https://app.example.com/cb#frag",
    "javascript:alert(1)",
    "not a url",
    "https://u:p@x.example/cb",
  ])("refuses the redirect URI %s", async (uri) => {
    const res = await foyer.platform(`/instances/${t.id}/oauth_applications`, {
      method: "POST",
      json: { name: "Bad", redirect_uris: [uri] },
    });
    expect(res.status).toBe(422);
    expect((await res.json()).errors[0].code).toBe("oauth_redirect_uri_invalid");
  });

  it("limits a client's scopes to OpenID ones (resource scopes belong to the resource)", async () => {
    const res = await foyer.platform(`/instances/${t.id}/oauth_applications`, {
      method: "POST",
      json: { name: "Scoped", redirect_uris: ["https://app.example.com/cb"], scopes: "openid jira:read" },
    });
    expect(res.status).toBe(422);
    expect((await res.json()).errors[0].meta.param_name).toBe("scopes");
    const ok = await foyer.platform(`/instances/${t.id}/oauth_applications`, {
      method: "POST",
      json: { name: "Scoped", redirect_uris: ["https://app.example.com/cb"], scopes: "openid email" },
    });
    expect((await ok.json()).scopes).toBe("openid email");
  });

  it("keeps resources and dynamic registration as instance settings, checked", async () => {
    const instance = await (await foyer.platform(`/instances/${t.id}`)).json();
    expect(instance.oauth_resources).toEqual([]);
    expect(instance.oauth_dynamic_client_registration).toBe(false);
    const ok = await foyer.platform(`/instances/${t.id}`, {
      method: "PATCH",
      json: {
        oauth_resources: [{ resource: "https://mcp.example.com", name: "MCP", scopes: ["mcp:tools"] }],
      },
    });
    expect((await ok.json()).oauth_resources).toEqual([
      { resource: "https://mcp.example.com/", name: "MCP", scopes: ["mcp:tools"] },
    ]);
    for (const bad of [
      { resource: "ftp://mcp.example.com/", name: "x", scopes: [] },
      { resource: "https://mcp.example.com/#x", name: "x", scopes: [] },
      { resource: "https://mcp.example.com/", name: "x", scopes: ["Not A Scope"] },
    ]) {
      const res = await foyer.platform(`/instances/${t.id}`, {
        method: "PATCH",
        json: { oauth_resources: [bad] },
      });
      expect(res.status).toBe(422);
      expect((await res.json()).errors[0].meta.param_name).toBe("oauth_resources");
    }
  });

  it("answers the authorization server's endpoints with a coded 500 when there is no Node server", async () => {
    const res = await foyer.request(`${t.fapiPath}/oauth/token`, { method: "POST" });
    expect(res.status).toBe(500);
    expect((await res.json()).errors[0].code).toBe("authorization_server_unavailable");
  });
});
