import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import {
  authorizationCodeRequest,
  processAuthorizationCodeResponse,
  processRefreshResponse,
  refreshRequest,
} from "./token-endpoint.js";
import { AtlassianTokenError, type TokenEndpointPhase, type TokenErrorKind } from "./token-error.js";

const settings = { authUrl: "https://auth.atlassian.com", timeoutMs: 2_000 };
const client = { clientId: "client-id", clientSecret: "client-secret" };
const NOW = 1_700_000_000_000;
const now = () => NOW;

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
const html = (status: number, headers: Record<string, string> = {}) =>
  new Response("<html><body><h1>Something went wrong</h1></body></html>", {
    status,
    headers: { "content-type": "text/html; charset=utf-8", ...headers },
  });

const process: Record<TokenEndpointPhase, (response: Response) => Promise<unknown>> = {
  code_exchange: (response) => processAuthorizationCodeResponse(settings, client, response, now),
  refresh: (response) => processRefreshResponse(settings, client, response, now),
};

async function failure(phase: TokenEndpointPhase, response: Response): Promise<AtlassianTokenError> {
  const err = await process[phase](response).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AtlassianTokenError);
  return err as AtlassianTokenError;
}

interface Expected {
  kind: TokenErrorKind;
  oauthError?: string;
  retryAfterSeconds?: number;
}

/** Each answer Atlassian (or what stands in front of it) gives, and what it means in each phase. */
const table: Array<{ answer: string; response: () => Response; code_exchange: Expected; refresh: Expected }> =
  [
    {
      answer: "200 with an HTML page",
      response: () => html(200),
      code_exchange: { kind: "nonsense" },
      refresh: { kind: "nonsense" },
    },
    {
      answer: "200 with JSON that does not parse",
      response: () =>
        new Response("{ access_token: ", { status: 200, headers: { "content-type": "application/json" } }),
      code_exchange: { kind: "nonsense" },
      refresh: { kind: "nonsense" },
    },
    {
      answer: "200 without access_token",
      response: () => json(200, { token_type: "Bearer", expires_in: 3600 }),
      code_exchange: { kind: "nonsense" },
      refresh: { kind: "nonsense" },
    },
    {
      answer: "302 to a login page",
      response: () =>
        new Response(null, { status: 302, headers: { location: "https://id.atlassian.com/login" } }),
      code_exchange: { kind: "unavailable" },
      refresh: { kind: "unavailable" },
    },
    {
      answer: "400 invalid_grant",
      response: () => json(400, { error: "invalid_grant", error_description: "Invalid authorization code" }),
      code_exchange: { kind: "grant_dead", oauthError: "invalid_grant" },
      refresh: { kind: "grant_dead", oauthError: "invalid_grant" },
    },
    {
      answer: "403 invalid_grant (Atlassian's documented dead refresh token)",
      response: () =>
        json(403, { error: "invalid_grant", error_description: "Unknown or invalid refresh token." }),
      code_exchange: { kind: "grant_dead", oauthError: "invalid_grant" },
      refresh: { kind: "grant_dead", oauthError: "invalid_grant" },
    },
    {
      // Atlassian's answer to a spent or expired code; on refresh it means Foyer sent a bad request.
      answer: "400 invalid_request",
      response: () =>
        json(400, { error: "invalid_request", error_description: "authorization_code is invalid" }),
      code_exchange: { kind: "grant_dead", oauthError: "invalid_request" },
      refresh: { kind: "nonsense", oauthError: "invalid_request" },
    },
    {
      answer: "401 access_denied (a wrong Client Secret)",
      response: () => json(401, { error: "access_denied", error_description: "Unauthorized" }),
      code_exchange: { kind: "invalid_client", oauthError: "access_denied" },
      refresh: { kind: "invalid_client", oauthError: "access_denied" },
    },
    {
      answer: "401 with WWW-Authenticate and an empty body",
      response: () =>
        new Response(null, { status: 401, headers: { "www-authenticate": 'Basic realm="atlassian"' } }),
      code_exchange: { kind: "invalid_client" },
      refresh: { kind: "invalid_client" },
    },
    {
      answer: "403 with WWW-Authenticate and an empty body",
      response: () =>
        new Response(null, { status: 403, headers: { "www-authenticate": 'Bearer error="invalid_token"' } }),
      code_exchange: { kind: "invalid_client" },
      refresh: { kind: "invalid_client" },
    },
    {
      answer: "401 with an HTML page",
      response: () => html(401),
      code_exchange: { kind: "invalid_client" },
      refresh: { kind: "invalid_client" },
    },
    {
      answer: "400 invalid_client",
      response: () => json(400, { error: "invalid_client" }),
      code_exchange: { kind: "invalid_client", oauthError: "invalid_client" },
      refresh: { kind: "invalid_client", oauthError: "invalid_client" },
    },
    {
      answer: "403 unauthorized_client (Atlassian's measured unknown refresh token)",
      response: () =>
        json(403, { error: "unauthorized_client", error_description: "refresh_token is invalid" }),
      code_exchange: { kind: "grant_dead", oauthError: "unauthorized_client" },
      refresh: { kind: "grant_dead", oauthError: "unauthorized_client" },
    },
    {
      answer: "404 with an HTML page (a wrong token endpoint)",
      response: () => html(404),
      code_exchange: { kind: "nonsense" },
      refresh: { kind: "nonsense" },
    },
    {
      answer: "429 with Retry-After",
      response: () => json(429, { error: "rate_limited" }, { "retry-after": "30" }),
      code_exchange: { kind: "unavailable", retryAfterSeconds: 30 },
      refresh: { kind: "unavailable", retryAfterSeconds: 30 },
    },
    {
      answer: "429 without Retry-After",
      response: () => html(429),
      code_exchange: { kind: "unavailable" },
      refresh: { kind: "unavailable" },
    },
    {
      answer: "500 with an HTML page",
      response: () => html(500),
      code_exchange: { kind: "unavailable" },
      refresh: { kind: "unavailable" },
    },
    {
      answer: "502 with an empty body",
      response: () => new Response(null, { status: 502 }),
      code_exchange: { kind: "unavailable" },
      refresh: { kind: "unavailable" },
    },
    {
      // A challenge on a 503 is the gateway's, not a verdict on the client.
      answer: "503 with Retry-After (and a stray WWW-Authenticate)",
      response: () => html(503, { "retry-after": "7", "www-authenticate": "Bearer" }),
      code_exchange: { kind: "unavailable", retryAfterSeconds: 7 },
      refresh: { kind: "unavailable", retryAfterSeconds: 7 },
    },
  ];

describe.each(["code_exchange", "refresh"] as const)("token endpoint answers, %s", (phase) => {
  it.each(table)("$answer", async (row) => {
    const response = row.response();
    const err = await failure(phase, response);
    const expected = row[phase];
    expect({ kind: err.kind, phase: err.phase, status: err.status }).toEqual({
      kind: expected.kind,
      phase,
      status: response.status,
    });
    expect(err.oauthError).toBe(expected.oauthError);
    expect(err.retryAfterSeconds).toBe(expected.retryAfterSeconds);
    expect(err.cause).toBeUndefined();
  });

  it("reads a good answer into AtlassianTokens", async () => {
    const tokens = await process[phase](
      json(200, {
        access_token: "at-1",
        refresh_token: "rt-1",
        expires_in: 3600,
        token_type: "Bearer",
        scope: "read:me  read:jira-work offline_access",
      }),
    );
    expect(tokens).toEqual({
      accessToken: "at-1",
      refreshToken: "rt-1",
      expiresAt: NOW + 3600_000,
      scopes: ["read:me", "read:jira-work", "offline_access"],
    });
  });

  it("keeps going without refresh_token, expires_in or scope", async () => {
    const tokens = await process[phase](json(200, { access_token: "at-2", token_type: "bearer" }));
    expect(tokens).toEqual({
      accessToken: "at-2",
      refreshToken: undefined,
      expiresAt: NOW + 3600_000,
      scopes: [],
    });
  });

  it("never lets a token from a refused body reach the error", async () => {
    // No token_type: oauth4webapi refuses it and attaches the parsed body, tokens and all.
    const err = await failure(phase, json(200, { access_token: "secret-at", refresh_token: "secret-rt" }));
    expect(err.kind).toBe("nonsense");
    const everything = JSON.stringify({ ...err, message: err.message, stack: err.stack, cause: err.cause });
    expect(everything).not.toContain("secret-at");
    expect(everything).not.toContain("secret-rt");
  });
});

describe("token endpoint that does not answer", () => {
  let hanging: Server;
  afterAll(async () => {
    if (!hanging) return;
    hanging.closeAllConnections();
    await new Promise((resolve) => hanging.close(resolve));
  });

  const send: Record<TokenEndpointPhase, (s: typeof settings) => Promise<Response>> = {
    code_exchange: (s) =>
      authorizationCodeRequest(s, client, {
        code: "c",
        redirectUri: "http://foyer.test/cb",
        codeVerifier: "v".repeat(43),
      }),
    refresh: (s) => refreshRequest(s, client, "rt"),
  };

  it.each(["code_exchange", "refresh"] as const)(
    "a refused connection is unavailable (%s)",
    async (phase) => {
      // Port 1 on loopback: nothing listens there, so the connection is refused at once.
      const err = await send[phase]({ authUrl: "http://127.0.0.1:1", timeoutMs: 2_000 }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(AtlassianTokenError);
      expect(err).toMatchObject({ kind: "unavailable", phase, status: undefined });
    },
  );

  it.each(["code_exchange", "refresh"] as const)("a timeout is unavailable (%s)", async (phase) => {
    hanging ??= await new Promise<Server>((resolve) => {
      const server = createServer(() => {
        // Never answers: the outbound timeout must end the wait.
      });
      server.listen(0, "127.0.0.1", () => resolve(server));
    });
    const port = (hanging.address() as AddressInfo).port;
    const started = Date.now();
    const err = await send[phase]({ authUrl: `http://127.0.0.1:${port}`, timeoutMs: 150 }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ kind: "unavailable", phase });
    expect((err as Error).message).toContain("TimeoutError");
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});
