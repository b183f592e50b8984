/**
 * Issue #19's registrations, end to end: the official MCP SDK client, with its own OAuth client
 * support and no client registered ahead, discovers Foyer from the example server's metadata and
 * registers itself, by Dynamic Client Registration (RFC 7591, when the instance turns it on) and
 * by a Client ID Metadata Document served over HTTPS on loopback (the SDK takes only https
 * `clientMetadataUrl`s; Foyer trusts the test's CA through `outboundCa`, and a development
 * instance may fetch from loopback). The person's browser is testkit's HTTP one; the Chromium
 * journey is mcp.e2e.browser.test.ts.
 */
import { DEMO_IDS } from "@foyer/atlassian-emulator";
import { authorize } from "@foyer/testkit/authorization-server";
import { DB_KINDS } from "@foyer/testkit/databases";
import {
  CookieJar,
  createEmulatedFoyer,
  type EmulatedFoyer,
  signInFlow,
} from "@foyer/testkit/emulated-foyer";
import { createTestInstance, type TestInstance } from "@foyer/testkit/instances";
import { type LoopbackHttps, startLoopbackHttps } from "@foyer/testkit/loopback-https";
import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from "@modelcontextprotocol/sdk/shared/auth.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningJiraMcp, startJiraMcp } from "./server.js";
import { MCP_SCOPES } from "./tools.js";

const REDIRECT = "http://127.0.0.1:9/callback";

/** An MCP client that starts with no client_id: it registers, or names its metadata document. */
class SelfRegisteringProvider implements OAuthClientProvider {
  client: OAuthClientInformationMixed | undefined;
  saved: OAuthTokens | undefined;
  verifier = "";
  authorizationUrl: URL | undefined;
  constructor(
    readonly name: string,
    readonly clientMetadataUrl?: string,
  ) {}
  get redirectUrl() {
    return REDIRECT;
  }
  get clientMetadata(): OAuthClientMetadata {
    return { client_name: this.name, redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" };
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

const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8"));

describe.each(DB_KINDS)("an MCP client that registers itself with Foyer (%s)", (kind) => {
  let foyer: EmulatedFoyer;
  let docs: LoopbackHttps;
  const servers: RunningJiraMcp[] = [];
  const ada = new CookieJar();

  beforeAll(async () => {
    docs = await startLoopbackHttps((req, res) => {
      res.setHeader("content-type", "application/json");
      if (req.url !== "/agent.json") {
        res.statusCode = 404;
        res.end("{}");
        return;
      }
      res.end(
        JSON.stringify({
          client_id: `${docs.origin}/agent.json`,
          client_name: "Metadata document agent",
          redirect_uris: [REDIRECT],
          token_endpoint_auth_method: "none",
        }),
      );
    });
    foyer = await createEmulatedFoyer(kind, { listen: true, outboundCa: [docs.ca] });
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    await foyer?.close();
    await docs?.close();
  });

  /** An instance, the person signed in to it, and the example MCP server protected by it. */
  const setUp = async (dcr: boolean): Promise<{ t: TestInstance; mcp: RunningJiraMcp }> => {
    const t = await createTestInstance(foyer, { patch: { oauth_dynamic_client_registration: dcr } });
    await signInFlow(foyer, ada, t.id, { accountId: DEMO_IDS.ada, cloudId: DEMO_IDS.acme });
    const mcp = await startJiraMcp({
      publishableKey: t.publishableKey,
      secretKey: t.secretKey,
      apiUrl: foyer.svc.config.publicUrl,
      port: 0,
      host: "127.0.0.1",
    });
    servers.push(mcp);
    return { t, mcp };
  };
  const connect = async (mcp: RunningJiraMcp, provider: OAuthClientProvider) => {
    const client = new Client({ name: "e2e-agent", version: "0.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(mcp.url), { authProvider: provider }));
    return client;
  };
  /** First contact (401, discovery, registration), consent, the code exchange, then the tools. */
  const journey = async (mcp: RunningJiraMcp, provider: SelfRegisteringProvider) => {
    await expect(connect(mcp, provider)).rejects.toThrow(/Unauthorized/i);
    const outcome = await authorize(ada, provider.authorizationUrl!.href, REDIRECT);
    expect(outcome.consentPages.length).toBe(1);
    const transport = new StreamableHTTPClientTransport(new URL(mcp.url), { authProvider: provider });
    await transport.finishAuth(outcome.callback!.searchParams.get("code")!);
    const client = await connect(mcp, provider);
    const sites = (await client.callTool({ name: "list_sites", arguments: {} })).structuredContent as {
      sites: Array<{ cloud_id: string }>;
    };
    expect(sites.sites.map((s) => s.cloud_id)).toContain(DEMO_IDS.acme);
    await client.close();
    return { consent: outcome.consentPages[0]!, access: claims(provider.saved!.access_token) };
  };

  it("registers by Dynamic Client Registration, and still gets the resource's scopes it dropped at registration", async () => {
    const { mcp } = await setUp(true);
    const provider = new SelfRegisteringProvider("Registering agent");
    const result = await journey(mcp, provider);
    const registered = provider.client as { client_id: string; scope?: string };
    expect(registered.client_id).toBeTruthy();
    // The SDK sent the resource's scopes at registration; Foyer kept only OpenID scopes there...
    for (const s of MCP_SCOPES) expect(registered.scope ?? "").not.toContain(s);
    // ...and the resource's policy, not the client's metadata, is what grants them.
    expect(provider.authorizationUrl!.searchParams.get("scope")).toBe(MCP_SCOPES.join(" "));
    expect(result.consent).toContain("Registering agent");
    expect(result.access.aud).toBe(mcp.url);
    expect(result.access.client_id).toBe(registered.client_id);
    expect(result.access.scope.split(" ").sort()).toEqual([...MCP_SCOPES].sort());
  });

  it("cannot register dynamically when the instance leaves it off", async () => {
    const { t, mcp } = await setUp(false);
    const provider = new SelfRegisteringProvider("Unwelcome agent");
    await expect(connect(mcp, provider)).rejects.toThrow(/dynamic client registration/i);
    expect(provider.client).toBeUndefined();
    const direct = await fetch(`${t.instance.frontend_api_url}/oauth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" }),
    });
    // RFC 8414: no registration_endpoint in the metadata is how a server says it takes none,
    // which the SDK reports; the endpoint itself is no route of this issuer.
    expect(direct.status).toBe(404);
    const metadata = await (
      await fetch(`${t.instance.frontend_api_url}/.well-known/oauth-authorization-server`)
    ).json();
    expect(metadata.registration_endpoint).toBeUndefined();
    expect(metadata.client_id_metadata_document_supported).toBe(true);
  });

  it("registers by a Client ID Metadata Document over HTTPS, which Foyer fetches; consent names it and its host", async () => {
    const { mcp } = await setUp(false);
    const url = `${docs.origin}/agent.json`;
    const provider = new SelfRegisteringProvider("ignored: the document names the client", url);
    const before = docs.hits.length;
    const result = await journey(mcp, provider);
    expect(provider.client?.client_id).toBe(url);
    expect(docs.hits.slice(before)).toContain("/agent.json");
    expect(result.consent).toContain("Metadata document agent");
    expect(result.consent).toContain(new URL(url).host);
    expect(result.access.client_id).toBe(url);
    expect(result.access.aud).toBe(mcp.url);
    expect(result.access.scope.split(" ").sort()).toEqual([...MCP_SCOPES].sort());
  });
});
