/**
 * The authorization server of an instance end to end, over real HTTP on both databases:
 * discovery, authorization code + PKCE S256 with the consent page, a resource-bound JWT access
 * token, refresh rotation with reuse detection, revocation.
 */
import {
  authorize,
  authorizeUrlFor,
  pkcePair,
  registerOAuthApplication,
  signedInBrowser,
  tokenRequest,
} from "@foyer/testkit/authorization-server";
import { DB_KINDS } from "@foyer/testkit/databases";
import { createEmulatedFoyer, type EmulatedFoyer } from "@foyer/testkit/emulated-foyer";
import { createTestInstance, signInTestUser, type TestInstance } from "@foyer/testkit/instances";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const RESOURCE = "https://mcp.example.com/mcp";
const OTHER_RESOURCE = "https://other.example.com/";

describe.each(DB_KINDS)("the authorization server (%s)", (kind) => {
  let foyer: EmulatedFoyer;
  let t: TestInstance;
  let issuer: string;
  beforeAll(async () => {
    foyer = await createEmulatedFoyer(kind, { listen: true });
    t = await createTestInstance(foyer, {
      patch: {
        oauth_resources: [
          { resource: RESOURCE, name: "Jira MCP", scopes: ["jira:read", "jira:write"] },
          { resource: OTHER_RESOURCE, name: "Other", scopes: ["other:read"] },
        ],
      },
    });
    issuer = t.instance.frontend_api_url;
  });
  afterAll(() => foyer.close());

  async function codeFor(opts: { resource?: string; scope?: string; clientToken?: string } = {}) {
    const client = await registerOAuthApplication(foyer, t.id, { redirect_uris: ["http://127.0.0.1:9/cb"] });
    const signed = opts.clientToken ?? (await signInTestUser(foyer, t.instance)).clientToken;
    const jar = signedInBrowser(t, signed);
    const { verifier, challenge } = pkcePair();
    const outcome = await authorize(
      jar,
      authorizeUrlFor(issuer, {
        client_id: client.client_id,
        redirect_uri: client.redirect_uris[0],
        response_type: "code",
        scope: opts.scope ?? "openid profile jira:read",
        resource: opts.resource ?? RESOURCE,
        state: "st-1",
        code_challenge: challenge,
        code_challenge_method: "S256",
      }),
      client.redirect_uris[0]!,
    );
    return { client, verifier, outcome, jar };
  }

  it("publishes RFC 8414 and OpenID discovery with its issuer, PKCE S256 only and iss in the response", async () => {
    for (const name of ["oauth-authorization-server", "openid-configuration"]) {
      const res = await fetch(`${issuer}/.well-known/${name}`);
      expect(res.status).toBe(200);
      const doc = await res.json();
      expect(doc.issuer).toBe(issuer);
      expect(doc.authorization_endpoint).toBe(`${issuer}/oauth/authorize`);
      expect(doc.token_endpoint).toBe(`${issuer}/oauth/token`);
      expect(doc.jwks_uri).toBe(`${issuer}/oauth/jwks`);
      expect(doc.revocation_endpoint).toBe(`${issuer}/oauth/revoke`);
      expect(doc.userinfo_endpoint).toBe(`${issuer}/oauth/userinfo`);
      expect(doc.code_challenge_methods_supported).toEqual(["S256"]);
      expect(doc.response_types_supported).toEqual(["code"]);
      expect(doc.authorization_response_iss_parameter_supported).toBe(true);
      expect(doc.registration_endpoint).toBeUndefined();
      expect(doc.client_id_metadata_document_supported).toBe(true);
    }
    // RFC 8414's path-inserted form at the root of the host, which MCP clients try first.
    const origin = new URL(issuer).origin;
    const path = new URL(issuer).pathname;
    for (const name of ["oauth-authorization-server", "openid-configuration"]) {
      const res = await fetch(`${origin}/.well-known/${name}${path}`);
      expect(res.status).toBe(200);
      expect((await res.json()).issuer).toBe(issuer);
    }
    expect((await fetch(`${origin}/.well-known/oauth-authorization-server/fapi/ins_nope`)).status).toBe(404);
  });

  it("runs the code flow with PKCE: consent, iss in the response, a JWT access token for the one resource", async () => {
    const { client, verifier, outcome } = await codeFor();
    expect(outcome.consentPages).toHaveLength(1);
    expect(outcome.consentPages[0]).toContain("Test client");
    expect(outcome.consentPages[0]).toContain("Jira MCP");
    const callback = outcome.callback!;
    expect(callback.searchParams.get("iss")).toBe(issuer);
    expect(callback.searchParams.get("state")).toBe("st-1");
    const token = await tokenRequest(issuer, client, {
      grant_type: "authorization_code",
      code: callback.searchParams.get("code")!,
      redirect_uri: client.redirect_uris[0]!,
      code_verifier: verifier,
    });
    expect(token.status).toBe(200);
    const at = token.body.access_token as string;
    expect(decodeProtectedHeader(at).typ).toBe("at+jwt");
    const jwks = createRemoteJWKSet(new URL(`${issuer}/oauth/jwks`));
    const { payload } = await jwtVerify(at, jwks, { issuer, audience: RESOURCE, typ: "at+jwt" });
    expect(payload.aud).toBe(RESOURCE);
    expect(payload.client_id).toBe(client.client_id);
    expect(payload.scope).toBe("jira:read");
    expect(payload.sub).toMatch(/^user_/);
    expect(payload.jti).toBeTypeOf("string");
    await expect(jwtVerify(at, jwks, { issuer, audience: OTHER_RESOURCE })).rejects.toThrow();
    expect(token.body.refresh_token).toBeTypeOf("string");
    expect(token.body.id_token).toBeTypeOf("string");
    // Nothing secret reaches the logs: code, tokens, client secret.
    const logs = foyer.logs();
    for (const secret of [
      callback.searchParams.get("code")!,
      at,
      token.body.refresh_token as string,
      client.client_secret!,
    ]) {
      expect(logs).not.toContain(secret);
    }
  });

  it("refuses a request without PKCE, with plain PKCE, and a redirect URI not registered exactly", async () => {
    const client = await registerOAuthApplication(foyer, t.id, { redirect_uris: ["http://127.0.0.1:9/cb"] });
    const base = { client_id: client.client_id, response_type: "code", scope: "openid", state: "s" };
    const { challenge } = pkcePair();
    const noPkce = await fetch(authorizeUrlFor(issuer, { ...base, redirect_uri: "http://127.0.0.1:9/cb" }), {
      redirect: "manual",
    });
    expect(new URL(noPkce.headers.get("location")!).searchParams.get("error")).toBe("invalid_request");
    const plain = await fetch(
      authorizeUrlFor(issuer, {
        ...base,
        redirect_uri: "http://127.0.0.1:9/cb",
        code_challenge: challenge,
        code_challenge_method: "plain",
      }),
      { redirect: "manual" },
    );
    expect(new URL(plain.headers.get("location")!).searchParams.get("error")).toBe("invalid_request");
    for (const redirect of [
      "http://127.0.0.1:9/cb/",
      "http://127.0.0.1:9/cb?x=1",
      "http://127.0.0.1:10/cb",
    ]) {
      const res = await fetch(
        authorizeUrlFor(issuer, {
          ...base,
          redirect_uri: redirect,
          code_challenge: challenge,
          code_challenge_method: "S256",
        }),
        { redirect: "manual" },
      );
      // Never redirected to an unregistered URI: the error is shown by Foyer itself.
      expect(res.status).toBe(400);
      expect(res.headers.get("location")).toBeNull();
      expect(await res.text()).toContain("redirect_uri");
    }
  });

  it("puts the resource in aud exactly as the client named it", async () => {
    const { client, verifier, outcome } = await codeFor({
      resource: "https://other.example.com",
      scope: "other:read",
    });
    const token = await tokenRequest(issuer, client, {
      grant_type: "authorization_code",
      code: outcome.callback!.searchParams.get("code")!,
      redirect_uri: client.redirect_uris[0]!,
      code_verifier: verifier,
    });
    const jwks = createRemoteJWKSet(new URL(`${issuer}/oauth/jwks`));
    const { payload } = await jwtVerify(token.body.access_token as string, jwks, { issuer, typ: "at+jwt" });
    expect(payload.aud).toBe("https://other.example.com");
    expect(payload.scope).toBe("other:read");
  });

  it("answers invalid_target for a resource the instance does not serve", async () => {
    const { outcome } = await codeFor({ resource: "https://evil.example.com/" });
    expect(outcome.callback?.searchParams.get("error")).toBe("invalid_target");
  });

  it("rotates refresh tokens and revokes the grant when a used one comes back", async () => {
    const { client, verifier, outcome } = await codeFor();
    const first = await tokenRequest(issuer, client, {
      grant_type: "authorization_code",
      code: outcome.callback!.searchParams.get("code")!,
      redirect_uri: client.redirect_uris[0]!,
      code_verifier: verifier,
    });
    const rt1 = first.body.refresh_token as string;
    const second = await tokenRequest(issuer, client, { grant_type: "refresh_token", refresh_token: rt1 });
    expect(second.status).toBe(200);
    const rt2 = second.body.refresh_token as string;
    expect(rt2).not.toBe(rt1);
    const reuse = await tokenRequest(issuer, client, { grant_type: "refresh_token", refresh_token: rt1 });
    expect(reuse.body.error).toBe("invalid_grant");
    // The whole grant is gone: the newest refresh token is dead too.
    const after = await tokenRequest(issuer, client, { grant_type: "refresh_token", refresh_token: rt2 });
    expect(after.body.error).toBe("invalid_grant");
  });

  it("revokes a refresh token (RFC 7009)", async () => {
    const { client, verifier, outcome } = await codeFor();
    const first = await tokenRequest(issuer, client, {
      grant_type: "authorization_code",
      code: outcome.callback!.searchParams.get("code")!,
      redirect_uri: client.redirect_uris[0]!,
      code_verifier: verifier,
    });
    const basic = Buffer.from(`${client.client_id}:${client.client_secret}`).toString("base64");
    const res = await fetch(`${issuer}/oauth/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${basic}` },
      body: new URLSearchParams({ token: first.body.refresh_token as string }).toString(),
    });
    expect(res.status).toBe(200);
    const after = await tokenRequest(issuer, client, {
      grant_type: "refresh_token",
      refresh_token: first.body.refresh_token as string,
    });
    expect(after.body.error).toBe("invalid_grant");
  });
});
