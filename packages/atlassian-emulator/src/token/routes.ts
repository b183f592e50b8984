/**
 * auth.atlassian.com/oauth/token: the authorization_code and refresh_token grants.
 * Every answer is JSON, except the faults that mimic what sits in front of it: `token_5xx` (a
 * gateway's HTML 503), `token_garbage` (a 200 page) and `token_401_challenge` (a bare 401).
 * `token_drop_after_rotate` performs a refresh (the token rotates, the counters count it) and
 * then never answers: the answer lost on the way back that the client's refresh journal is for.
 */
import type { IncomingMessage } from "node:http";
import { type Context, Hono } from "hono";
import { hang, takeFault } from "../faults.js";
import { findGrant } from "../grants.js";
import { safeEqual, sha256Base64Url } from "../random.js";
import { type EmulatorState, now } from "../state.js";
import { issueAccessToken, startFamily, type TokenResponse, useRefreshToken } from "../tokens.js";
import type { EmulatorApp } from "../types.js";
import { basicCredentials, readTokenParams, type TokenParams } from "./body.js";
import { type TokenError, tokenErrors } from "./errors.js";

export function tokenRoutes(state: EmulatorState): Hono {
  const app = new Hono();

  app.post("/oauth/token", async (c) => {
    const params = await readTokenParams(c);
    const kind = params?.grant_type === "refresh_token" ? "refresh" : "code";
    const countFailure = () => {
      if (kind === "refresh") state.counters.refreshFailures += 1;
      else state.counters.codeExchangeFailures += 1;
    };
    const fail = (error: TokenError) => {
      countFailure();
      return c.json(error.body, error.status, { "Cache-Control": "no-store" });
    };

    if (takeFault(state, "token_hang")) await hang(state, c.req.raw.signal);
    const outage = takeFault(state, "token_5xx");
    if (outage) {
      countFailure();
      return c.html(
        "<html><head><title>503 Service Temporarily Unavailable</title></head><body><h1>503 Service Temporarily Unavailable</h1></body></html>",
        503,
        { "Retry-After": String(outage.retryAfterSeconds) },
      );
    }
    // A proxy or captive portal answering 200 with a page: the client must not take it for tokens.
    if (takeFault(state, "token_garbage")) {
      countFailure();
      return c.html("<html><body>Please log in to the network</body></html>", 200);
    }
    // RFC 6749 §5.2's answer to a client that failed to authenticate through an HTTP scheme: 401
    // with a challenge, here with no body at all, as an authenticating proxy in front sends it.
    // Nothing is spent: the code or refresh token stays good for a client that then gets it right.
    if (takeFault(state, "token_401_challenge")) {
      countFailure();
      return c.body(null, 401, { "WWW-Authenticate": 'Basic realm="auth.atlassian.com"' });
    }
    if (!params) return fail(tokenErrors.malformed());

    const client = authenticateClient(state, params, c.req.header("authorization"));
    if (!client) return fail(tokenErrors.unauthorizedClient());

    if (params.grant_type === "authorization_code") {
      const result = exchangeCode(state, client, params);
      if ("status" in result) return fail(result);
      state.counters.codeExchanges += 1;
      return c.json(result, 200, { "Cache-Control": "no-store", Pragma: "no-cache" });
    }
    if (params.grant_type === "refresh_token") {
      const result = refresh(state, client, params);
      if ("status" in result) return fail(result);
      state.counters.refreshes += 1;
      if (takeFault(state, "token_drop_after_rotate")) return dropAnswer(state, c);
      return c.json(result, 200, { "Cache-Control": "no-store", Pragma: "no-cache" });
    }
    return fail(tokenErrors.unsupportedGrantType());
  });

  return app;
}

/**
 * The refresh happened, but its answer never reaches the client: held until the client gives up
 * (or the fault is cleared, or the emulator closes), then the socket is cut without a byte sent.
 */
async function dropAnswer(state: EmulatorState, c: Context): Promise<Response> {
  await hang(state, c.req.raw.signal);
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  incoming?.socket.destroy();
  // Only reached without a socket (the app called in-process): still no token answer.
  return c.body(null, 504);
}

/** Confidential clients only: Atlassian refuses an exchange without the secret, PKCE or not. */
function authenticateClient(
  state: EmulatorState,
  params: TokenParams,
  authorization: string | undefined,
): EmulatorApp | undefined {
  const basic = basicCredentials(authorization);
  const clientId = basic?.clientId ?? params.client_id;
  const secret = basic?.clientSecret ?? params.client_secret;
  const app = clientId ? state.apps.get(clientId) : undefined;
  if (!app || !secret || !safeEqual(secret, app.clientSecret)) return undefined;
  return app;
}

function exchangeCode(
  state: EmulatorState,
  client: EmulatorApp,
  params: TokenParams,
): TokenResponse | TokenError {
  const bad =
    state.settings.badCodeStyle === "invalid_grant"
      ? tokenErrors.badCodeInvalidGrant()
      : tokenErrors.badCodeInvalidRequest();
  const code = params.code ? state.codes.get(params.code) : undefined;
  if (!code || code.clientId !== client.clientId) return bad;
  // Single use: any attempt by the right client spends the code, right or wrong.
  state.codes.delete(params.code!);
  if (code.expiresAt <= now(state)) return bad;
  if (code.redirectUri !== params.redirect_uri) return bad;
  if (state.settings.pkce === "verify" && code.codeChallenge && !pkceMatches(code, params.code_verifier))
    return bad;
  const grant = findGrant(state, code.clientId, code.accountId);
  if (!grant || grant.revoked) return bad;

  const grantee = {
    clientId: code.clientId,
    accountId: code.accountId,
    scopes: code.scopes,
    audience: code.audience,
  };
  const access = issueAccessToken(state, grantee);
  const response: TokenResponse = {
    access_token: access.token,
    expires_in: access.expiresIn,
    token_type: "Bearer",
    scope: code.scopes.join(" "),
  };
  // A refresh token only when offline_access was asked for (the classic "no refreshToken" question).
  if (code.scopes.includes("offline_access")) response.refresh_token = startFamily(state, grantee).current;
  return response;
}

function pkceMatches(
  code: { codeChallenge?: string; codeChallengeMethod?: string },
  verifier: string | undefined,
): boolean {
  if (!verifier || !code.codeChallenge) return false;
  const method = code.codeChallengeMethod ?? "plain";
  if (method === "S256") return safeEqual(sha256Base64Url(verifier), code.codeChallenge);
  if (method === "plain") return safeEqual(verifier, code.codeChallenge);
  return false;
}

function refresh(state: EmulatorState, client: EmulatorApp, params: TokenParams): TokenResponse | TokenError {
  if (!params.refresh_token) return tokenErrors.missingRefreshToken();
  // Peek, and spend a hit of the fault only on a refresh that succeeds.
  const withoutRefreshToken = state.faults.has("refresh_without_refresh_token");
  const outcome = useRefreshToken(state, client.clientId, params.refresh_token, withoutRefreshToken);
  if (!outcome.ok) {
    return outcome.error === "invalid_grant"
      ? tokenErrors.deadRefreshFamily()
      : tokenErrors.unknownRefreshToken();
  }
  if (withoutRefreshToken) takeFault(state, "refresh_without_refresh_token");
  const { family, grant } = outcome;
  // The grant's scopes as they are now: a consent since this family began may have replaced them.
  const grantee = { ...family, scopes: grant.scopes };
  const access = issueAccessToken(state, grantee);
  const response: TokenResponse = {
    access_token: access.token,
    expires_in: access.expiresIn,
    token_type: "Bearer",
    scope: grant.scopes.join(" "),
  };
  if (outcome.refreshToken) response.refresh_token = outcome.refreshToken;
  return response;
}
