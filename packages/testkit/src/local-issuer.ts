/**
 * A real, minimal OAuth issuer on loopback for @foyer/mcp tests: RFC 8414 metadata and a JWKS
 * over HTTP (node:http), and access tokens signed with jose by its own keys. It stands in for
 * Foyer's authorization server only where that server is not the thing under test.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { encodePublishableKey } from "@foyer/contract";
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from "jose";

export interface LocalIssuer {
  /** `http://127.0.0.1:<port>/fapi/ins_local`. */
  issuer: string;
  publishableKey: string;
  jwks: { keys: JWK[] };
  /** How many times the metadata and the JWKS were fetched. */
  hits: { metadata: number; jwks: number };
  /** Signs an access token: RFC 9068 defaults, overridable claims and header. */
  sign(
    claims?: JWTPayload & { scope?: string; client_id?: string },
    header?: { typ?: string; kid?: string },
  ): Promise<string>;
  close(): Promise<void>;
}

export async function startLocalIssuer(
  options: { alg?: "RS256" | "ES256"; path?: string } = {},
): Promise<LocalIssuer> {
  const alg = options.alg ?? "RS256";
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = `k_${alg.toLowerCase()}`;
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
  const hits = { metadata: 0, jwks: 0 };
  const path = options.path ?? "/fapi/ins_local";
  let issuer = "";
  const server: Server = createServer((req, res) => {
    if (req.url === `${path}/.well-known/oauth-authorization-server`) {
      hits.metadata++;
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({ issuer, jwks_uri: `${issuer}/oauth/jwks`, token_endpoint: `${issuer}/oauth/token` }),
      );
    } else if (req.url === `${path}/oauth/jwks`) {
      hits.jwks++;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  return {
    issuer,
    publishableKey: encodePublishableKey("development", issuer),
    jwks: { keys: [jwk] },
    hits,
    async sign(claims = {}, header = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({
        iss: issuer,
        sub: "user_test",
        client_id: "https://client.example/meta.json",
        scope: "jira:read",
        iat: now,
        exp: now + 300,
        jti: `at_${Math.random().toString(36).slice(2)}`,
        ...claims,
      })
        .setProtectedHeader({ alg, kid: header.kid ?? kid, typ: header.typ ?? "at+jwt" })
        .sign(privateKey);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
