/**
 * Session tokens and access tokens never pass as each other: different keys (the AS key is
 * ES256 and published only at <issuer>/oauth/jwks; session keys are RS256 at
 * /.well-known/jwks.json), different `typ`. And a token of one instance fails against another's
 * issuer and JWKS.
 */
import { verifyToken } from "@foyer/backend";
import { codeFlow, exchangeCode } from "@foyer/testkit/authorization-server";
import { mintFor } from "@foyer/testkit/backend-sdk";
import { DB_KINDS } from "@foyer/testkit/databases";
import { createEmulatedFoyer, type EmulatedFoyer } from "@foyer/testkit/emulated-foyer";
import { createTestInstance, type TestInstance } from "@foyer/testkit/instances";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const RESOURCE = "https://mcp.example.com/mcp";

describe.each(DB_KINDS)("access tokens and session tokens (%s)", (kind) => {
  let foyer: EmulatedFoyer;
  let a: TestInstance;
  let b: TestInstance;
  const resources = { oauth_resources: [{ resource: RESOURCE, name: "MCP", scopes: ["mcp:tools"] }] };
  beforeAll(async () => {
    foyer = await createEmulatedFoyer(kind, { listen: true });
    a = await createTestInstance(foyer, { patch: resources });
    b = await createTestInstance(foyer, { patch: resources });
  });
  afterAll(() => foyer.close());

  const accessTokenOf = async (t: TestInstance) => {
    const flow = await codeFlow(foyer, t, {
      clientToken: (await mintFor(foyer, t)).cookie.split("=")[1],
      scope: "openid mcp:tools",
      resource: RESOURCE,
    });
    const tokens = await exchangeCode(t, flow);
    return tokens.body.access_token as string;
  };
  const asVerifier = (t: TestInstance, token: string) =>
    jwtVerify(token, createRemoteJWKSet(new URL(`${t.instance.frontend_api_url}/oauth/jwks`)), {
      issuer: t.instance.frontend_api_url,
      audience: RESOURCE,
      typ: "at+jwt",
    });

  it("publishes the AS key only at <issuer>/oauth/jwks, and session keys only at the session JWKS", async () => {
    const asKeys = (await (await fetch(`${a.instance.frontend_api_url}/oauth/jwks`)).json()).keys;
    const sessionKeys = (await (await fetch(`${a.instance.frontend_api_url}/.well-known/jwks.json`)).json())
      .keys;
    const asKids = asKeys.map((k: { kid: string }) => k.kid);
    const sessionKids = sessionKeys.map((k: { kid: string }) => k.kid);
    expect(asKids.length).toBeGreaterThan(0);
    expect(asKids.filter((k: string) => sessionKids.includes(k))).toEqual([]);
    expect(asKeys.every((k: { d?: string }) => k.d === undefined)).toBe(true);
  });

  it("refuses a session JWT where an access token is expected", async () => {
    const { jwt } = await mintFor(foyer, a);
    await expect(asVerifier(a, jwt)).rejects.toThrow();
  });

  it("refuses an access token where a session token is expected (@foyer/backend verifyToken)", async () => {
    const at = await accessTokenOf(a);
    expect(decodeProtectedHeader(at).typ).toBe("at+jwt");
    await expect(asVerifier(a, at)).resolves.toBeTruthy();
    await expect(verifyToken(at, { frontendApiUrl: a.instance.frontend_api_url })).rejects.toMatchObject({
      name: "TokenVerificationError",
    });
  });

  it("refuses another instance's access token against this instance's issuer and JWKS", async () => {
    const fromB = await accessTokenOf(b);
    await expect(asVerifier(b, fromB)).resolves.toBeTruthy();
    await expect(asVerifier(a, fromB)).rejects.toThrow();
    // Even with the issuer check left out, A's keys do not verify B's signature.
    await expect(
      jwtVerify(fromB, createRemoteJWKSet(new URL(`${a.instance.frontend_api_url}/oauth/jwks`))),
    ).rejects.toThrow();
  });
});
