/**
 * The dashboard's OAuth applications tab: discovery URLs, a client registered with its secret
 * shown once (refused redirect URIs in words), deleted with its tokens, the resources editor,
 * the registration toggle, and the grants list whose Revoke ends that grant's tokens only.
 */
import { dumpAllTables } from "@foyer/testkit/atlassian-user";
import { codeFlow, exchangeCode, tokenRequest } from "@foyer/testkit/authorization-server";
import { type DashboardClient, signInToDashboard, unescapeHtml } from "@foyer/testkit/dashboard-client";
import { DB_KINDS } from "@foyer/testkit/databases";
import { createEmulatedFoyer, type EmulatedFoyer } from "@foyer/testkit/emulated-foyer";
import { createTestInstance, signInTestUser, type TestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grantsOfInstance } from "../../authorization-server/grants.js";
import { listOAuthApplications } from "../../authorization-server/oauth-applications.js";
import { getInstance } from "../../instances/instances.js";

const XSS = "<img src=x onerror=alert(1)>";

describe.each(DB_KINDS)("dashboard OAuth applications (%s)", (kind) => {
  let foyer: EmulatedFoyer;
  let t: TestInstance;
  let dash: DashboardClient;
  let tab: string;
  beforeAll(async () => {
    foyer = await createEmulatedFoyer(kind, { listen: true });
    t = await createTestInstance(foyer);
    dash = await signInToDashboard(foyer);
    tab = `/dashboard/instances/${t.id}/oauth`;
  });
  afterAll(() => foyer?.close());

  const refresh = (client: { client_id: string; client_secret?: string }, token: unknown) =>
    tokenRequest(t.instance.frontend_api_url, client, {
      grant_type: "refresh_token",
      refresh_token: token as string,
    });

  it("shows the discovery URLs for copy", async () => {
    const html = await dash.html(tab);
    expect(html).toContain(`${t.instance.frontend_api_url}/.well-known/oauth-authorization-server`);
    expect(html).toContain(`${t.instance.frontend_api_url}/.well-known/openid-configuration`);
  });

  it("registers a confidential client and shows its secret in that answer only", async () => {
    const res = await dash.post(`${tab}/applications`, {
      name: XSS,
      redirect_uris: "https://app.example.com/cb\nhttp://localhost:3000/cb",
      scopes: "openid email",
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    const secret = /id="created-client-secret" value="([^"]+)"/.exec(html)?.[1];
    expect(secret).toMatch(/^fyr_cs_/);
    expect(html).not.toContain(XSS);
    const [app] = await listOAuthApplications(foyer.svc, t.id);
    expect(app).toMatchObject({ public: 0, scopes: "openid email" });
    expect(JSON.parse(app!.redirect_uris)).toEqual([
      "https://app.example.com/cb",
      "http://localhost:3000/cb",
    ]);
    const later = await dash.html(tab);
    expect(later).toContain(app!.client_id);
    expect(later).not.toContain(secret);
    expect(await dumpAllTables(foyer)).not.toContain(secret);
  });

  it("registers a public client without a secret", async () => {
    const res = await dash.post(`${tab}/applications`, {
      name: "CLI",
      redirect_uris: "http://127.0.0.1:8765/callback",
      public: "on",
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("created-client-id");
    expect(html).not.toContain("created-client-secret");
  });

  it("refuses a redirect URI or scope in words, keeping what was typed", async () => {
    const bad = await dash.post(`${tab}/applications`, {
      name: "Bad",
      redirect_uris: "http://app.example.com/cb",
    });
    expect(bad.status).toBe(422);
    const html = unescapeHtml(await bad.text());
    expect(html).toMatch(/redirect URI/i);
    expect(html).toContain("http://app.example.com/cb");
    const scope = await dash.post(`${tab}/applications`, {
      name: "Bad",
      redirect_uris: "https://app.example.com/cb",
      scopes: "openid admin",
    });
    expect(scope.status).toBe(422);
    expect(unescapeHtml(await scope.text())).toContain('"admin" is not one');
  });

  it("adds and removes a resource, refusing a bad one in words", async () => {
    const added = await dash.post(`${tab}/resources`, {
      resource: "https://mcp.example.com/mcp",
      name: "Issues MCP",
      scopes: "issues:read  issues:write",
    });
    expect(added.status).toBe(303);
    expect((await getInstance(foyer.svc, t.id)).oauth_resources).toEqual([
      {
        resource: "https://mcp.example.com/mcp",
        name: "Issues MCP",
        scopes: ["issues:read", "issues:write"],
      },
    ]);
    const refused = await dash.post(`${tab}/resources`, {
      resource: "ftp://mcp.example.com/",
      name: "X",
      scopes: "",
    });
    expect(refused.status).toBe(422);
    expect(unescapeHtml(await refused.text())).toContain("is not a resource URL");
    const badScope = await dash.post(`${tab}/resources`, {
      resource: "https://other.example.com/",
      name: "X",
      scopes: "Bad Scope!",
    });
    expect(badScope.status).toBe(422);
    expect(unescapeHtml(await badScope.text())).toContain('Scope "Bad"');
    expect((await getInstance(foyer.svc, t.id)).oauth_resources).toHaveLength(1);
    const removed = await dash.post(`${tab}/resources/remove`, { resource: "https://mcp.example.com/mcp" });
    expect(removed.status).toBe(303);
    expect((await getInstance(foyer.svc, t.id)).oauth_resources).toEqual([]);
  });

  it("turns dynamic client registration on and off", async () => {
    expect((await dash.post(`${tab}/registration`, { enabled: "on" })).status).toBe(303);
    expect((await getInstance(foyer.svc, t.id)).oauth_dynamic_client_registration).toBe(1);
    expect(await dash.html(tab)).toContain("Turn off");
    await dash.post(`${tab}/registration`, { enabled: "off" });
    expect((await getInstance(foyer.svc, t.id)).oauth_dynamic_client_registration).toBe(0);
  });

  it("lists a dynamically registered client, its name escaped", async () => {
    await dash.post(`${tab}/registration`, { enabled: "on" });
    const res = await fetch(`${t.instance.frontend_api_url}/oauth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        client_name: XSS,
        redirect_uris: ["http://127.0.0.1:9/dcr"],
        token_endpoint_auth_method: "none",
      }),
    });
    expect(res.status).toBe(201);
    const { client_id } = await res.json();
    await dash.post(`${tab}/registration`, { enabled: "off" });
    const html = await dash.html(tab);
    expect(html).toContain(client_id);
    expect(html).toContain("http://127.0.0.1:9/dcr");
    expect(html).not.toContain(XSS);
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });

  it("refuses another instance's grant and client from this instance's tab", async () => {
    const other = await createTestInstance(foyer);
    const s = await signInTestUser(foyer, other.instance);
    const flow = await codeFlow(foyer, other, { clientToken: s.clientToken });
    const tokens = await exchangeCode(other, flow);
    const [grant] = await grantsOfInstance(foyer.svc, other.id, 50);
    const [app] = await listOAuthApplications(foyer.svc, other.id);
    expect((await dash.post(`${tab}/grants/${grant!.grant_id}/revoke`)).status).toBe(404);
    expect((await dash.post(`${tab}/applications/${app!.id}/delete`)).status).toBe(404);
    const still = await tokenRequest(other.instance.frontend_api_url, flow.client, {
      grant_type: "refresh_token",
      refresh_token: tokens.body.refresh_token as string,
    });
    expect(still.status).toBe(200);
  });

  it("lists grants and revokes one: its refresh token is refused, another user's still works", async () => {
    const ada = await signInTestUser(foyer, t.instance);
    const grace = await signInTestUser(foyer, t.instance);
    const first = await codeFlow(foyer, t, { clientToken: ada.clientToken });
    const adaTokens = await exchangeCode(t, first);
    const second = await codeFlow(foyer, t, { client: first.client, clientToken: grace.clientToken });
    const graceTokens = await exchangeCode(t, second);
    const html = await dash.html(tab);
    expect(html).toContain(ada.user.id);
    expect(html).toContain("Test client");
    const adaGrant = (await grantsOfInstance(foyer.svc, t.id, 50)).find((g) => g.user_id === ada.user.id)!;
    // Without the CSRF token the guard refuses it.
    const forged = await dash.post(`${tab}/grants/${adaGrant.grant_id}/revoke`, {}, { csrf: null });
    expect(forged.status).toBe(403);
    const adaRotated = await refresh(first.client, adaTokens.body.refresh_token);
    expect(adaRotated.status).toBe(200);
    const revoked = await dash.post(`${tab}/grants/${adaGrant.grant_id}/revoke`);
    expect(revoked.status).toBe(303);
    expect((await refresh(first.client, adaRotated.body.refresh_token)).body.error).toBe("invalid_grant");
    expect((await refresh(first.client, graceTokens.body.refresh_token)).status).toBe(200);
    const left = await grantsOfInstance(foyer.svc, t.id, 50);
    expect(left.map((g) => g.user_id)).not.toContain(ada.user.id);
    expect((await dash.post(`${tab}/grants/${adaGrant.grant_id}/revoke`)).status).toBe(404);
  });

  it("deletes a client: its grants go and its refresh tokens are refused", async () => {
    const s = await signInTestUser(foyer, t.instance);
    const flow = await codeFlow(foyer, t, { clientToken: s.clientToken });
    const tokens = await exchangeCode(t, flow);
    const app = (await listOAuthApplications(foyer.svc, t.id)).find(
      (a) => a.client_id === flow.client.client_id,
    )!;
    const del = await dash.post(`${tab}/applications/${app.id}/delete`);
    expect(del.status).toBe(303);
    expect((await refresh(flow.client, tokens.body.refresh_token)).body.error).toBe("invalid_client");
    const grants = await grantsOfInstance(foyer.svc, t.id, 50);
    expect(grants.map((g) => g.client_id)).not.toContain(flow.client.client_id);
  });
});
