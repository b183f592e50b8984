/**
 * Clients the operator did not pre-register: Dynamic Client Registration (RFC 7591, an instance
 * setting, off by default) and Client ID Metadata Documents (client_id is a URL, fetched with
 * the outbound guard: production refuses non-https and private addresses before connecting; a
 * development instance may fetch from loopback; at most 64 KiB; the document must name itself).
 */
import { createServer, type Server } from "node:http";
import { dumpAllTables } from "@foyer/testkit/atlassian-user";
import { codeFlow, exchangeCode, pkcePair } from "@foyer/testkit/authorization-server";
import { DB_KINDS } from "@foyer/testkit/databases";
import { createEmulatedFoyer, type EmulatedFoyer } from "@foyer/testkit/emulated-foyer";
import { createTestInstance, signInTestUser, type TestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getInstance } from "../instances/instances.js";
import { CIMD_MAX_BYTES } from "./client-metadata-document.js";

const REDIRECT = "http://127.0.0.1:9/cb";

describe.each(DB_KINDS)("clients without pre-registration (%s)", (kind) => {
  let foyer: EmulatedFoyer;
  let t: TestInstance;
  let docs: Server;
  let docsBase: string;
  let fetches = 0;
  beforeAll(async () => {
    foyer = await createEmulatedFoyer(kind, { listen: true });
    t = await createTestInstance(foyer);
    docs = createServer((req, res) => {
      fetches++;
      const self = `${docsBase}${req.url}`;
      const doc = (over: Record<string, unknown> = {}) =>
        JSON.stringify({ client_id: self, client_name: "Doc client", redirect_uris: [REDIRECT], ...over });
      res.setHeader("content-type", "application/json");
      if (req.url === "/good.json") res.end(doc({ scope: "openid mcp:tools" }));
      else if (req.url === "/mismatch.json") res.end(doc({ client_id: `${docsBase}/other.json` }));
      else if (req.url === "/secret.json") res.end(doc({ client_secret: "s3cret" }));
      else if (req.url === "/big.json") res.end(doc({ padding: "x".repeat(CIMD_MAX_BYTES) }));
      else if (req.url === "/redirect.json") {
        res.statusCode = 302;
        res.setHeader("location", `${docsBase}/good.json`);
        res.end();
      } else {
        res.statusCode = 404;
        res.end("{}");
      }
    });
    await new Promise<void>((r) => docs.listen(0, "127.0.0.1", r));
    docsBase = `http://127.0.0.1:${(docs.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await foyer.close();
    await new Promise<void>((r) => docs.close(() => r()));
  });

  const register = (metadata: Record<string, unknown>) =>
    fetch(`${t.instance.frontend_api_url}/oauth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(metadata),
    });

  it("refuses Dynamic Client Registration by default, and allows it once the instance turns it on", async () => {
    const off = await register({ redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" });
    expect(off.status).not.toBe(201);
    const patch = await foyer.platform(`/instances/${t.id}`, {
      method: "PATCH",
      json: { oauth_dynamic_client_registration: true },
    });
    expect((await patch.json()).oauth_dynamic_client_registration).toBe(true);
    const discovery = await (
      await fetch(`${t.instance.frontend_api_url}/.well-known/oauth-authorization-server`)
    ).json();
    expect(discovery.registration_endpoint).toBe(`${t.instance.frontend_api_url}/oauth/register`);

    // An MCP client names its resource's scopes too: they are dropped from the client's metadata.
    const res = await register({
      redirect_uris: [REDIRECT],
      client_name: "Registered app",
      scope: "openid mcp:tools",
    });
    expect(res.status).toBe(201);
    const client = await res.json();
    expect(client.scope).toBe("openid");
    expect(client.client_secret).toBeTypeOf("string");
    // Stored as a hash only.
    expect(await dumpAllTables(foyer)).not.toContain(client.client_secret);
    const { clientToken } = await signInTestUser(foyer, t.instance);
    const flow = await codeFlow(foyer, t, { client, clientToken, scope: "openid" });
    expect(flow.outcome.consentPages[0]).toContain("Registered app");
    const tokens = await exchangeCode(t, flow);
    expect(tokens.status).toBe(200);
    // The wrong secret is refused.
    const wrong = await exchangeCode(t, { ...flow, client: { ...client, client_secret: "nope" } });
    expect(wrong.body.error).toBe("invalid_client");
    await foyer.platform(`/instances/${t.id}`, {
      method: "PATCH",
      json: { oauth_dynamic_client_registration: false },
    });
  });

  it("uses a Client ID Metadata Document from loopback on a development instance, fetched once", async () => {
    const client = { client_id: `${docsBase}/good.json`, redirect_uris: [REDIRECT] };
    const { clientToken } = await signInTestUser(foyer, t.instance);
    const before = fetches;
    const flow = await codeFlow(foyer, t, { client, clientToken, scope: "openid" });
    expect(flow.outcome.consentPages[0]).toContain("Doc client");
    expect(flow.outcome.consentPages[0]).toContain(new URL(docsBase).host);
    expect((await exchangeCode(t, flow)).status).toBe(200);
    expect(fetches - before).toBe(1);
  });

  it.each(["mismatch.json", "secret.json", "big.json", "redirect.json", "missing.json"])(
    "refuses the metadata document %s",
    async (name) => {
      const clientId = `${docsBase}/${name}`;
      const { challenge } = pkcePair();
      const url = new URL(`${t.instance.frontend_api_url}/oauth/authorize`);
      for (const [k, v] of Object.entries({
        client_id: clientId,
        redirect_uri: REDIRECT,
        response_type: "code",
        scope: "openid",
        code_challenge: challenge,
        code_challenge_method: "S256",
      }))
        url.searchParams.set(k, v);
      const res = await fetch(url, { redirect: "manual" });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain("invalid_client");
    },
  );

  it("refuses, on a production instance, documents over plain http or on private addresses, before connecting", async () => {
    const port = new URL(foyer.svc.config.publicUrl).port;
    const app = await (
      await foyer.platform("/applications", { method: "POST", json: { name: "Prod" } })
    ).json();
    const created = await foyer.platform(`/applications/${app.id}/instances`, {
      method: "POST",
      json: { environment: "production", frontend_api_url: `http://localhost:${port}` },
    });
    expect(created.status).toBe(201);
    const prod = await getInstance(foyer.svc, (await created.json()).id);
    const before = fetches;
    for (const clientId of [
      `${docsBase}/good.json`,
      "https://10.0.0.7/client.json",
      "https://[::1]/c.json",
    ]) {
      const { challenge } = pkcePair();
      const url = new URL(`${prod.frontend_api_url}/oauth/authorize`);
      url.search = new URLSearchParams({
        client_id: clientId,
        redirect_uri: REDIRECT,
        response_type: "code",
        scope: "openid",
        code_challenge: challenge,
        code_challenge_method: "S256",
      }).toString();
      const res = await fetch(url, { redirect: "manual" });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain("invalid_client");
    }
    expect(fetches).toBe(before);
    expect(foyer.logs()).toContain("client metadata document refused");
  });
});
