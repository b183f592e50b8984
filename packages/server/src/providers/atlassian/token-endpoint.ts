/**
 * POST auth.atlassian.com/oauth/token, both grants, split as oauth4webapi splits them: a request
 * function that sends (and fails only when no answer came) and a process function that reads the
 * answer, so each answer can be tested over a canned `Response` without a network. Every failure
 * is an `AtlassianTokenError` from the one classifier in token-error.ts.
 *
 * The client secret goes in the body (what Atlassian documents; atlassian-3lo §2), and PKCE's
 * verifier alongside it at the code exchange.
 */
import * as oauth from "oauth4webapi";
import type { AtlassianSettings } from "../../services.js";
import { atlassianAuthorizationServer } from "./endpoints.js";
import { outboundOptions } from "./outbound.js";
import { classifyTokenEndpointFailure, type TokenEndpointPhase } from "./token-error.js";

/** What a successful token response gives Foyer, from either grant (RFC 6749 §5.1). */
export interface AtlassianTokens {
  accessToken: string;
  /**
   * Only when `offline_access` was granted; on refresh, undefined when Atlassian sent none (a
   * seen quirk), and the stored one is then kept (atlassian-3lo §3).
   */
  refreshToken: string | undefined;
  /** Milliseconds since the epoch, from `expires_in` and the caller's clock. */
  expiresAt: number;
  /** The granted scopes (`scope`), empty when the response left them out. */
  scopes: string[];
}

/** The app's credentials at Atlassian (a confidential client; Atlassian has no public ones). */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

type Settings = Pick<AtlassianSettings, "authUrl" | "timeoutMs">;

/** Atlassian documents a 1 h access token; used only if a response leaves expires_in out. */
export const DEFAULT_EXPIRES_IN = 3600;
/**
 * The lifetimes Foyer believes, in seconds. A shorter one would have every request refresh (and
 * rotate) the grant; a longer one would serve a token Atlassian stopped accepting long ago.
 */
export const EXPIRES_IN_BOUNDS = { min: 60, max: 24 * 3600 } as const;

/** `expires_in` as Foyer uses it: clamped to 60 s … 24 h; missing or not a number, 3600. */
export function effectiveExpiresIn(value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) return DEFAULT_EXPIRES_IN;
  return Math.min(EXPIRES_IN_BOUNDS.max, Math.max(EXPIRES_IN_BOUNDS.min, Math.floor(value)));
}

/** Sends, turning a throw (no answer, timeout, refused connection) into a classified error. */
async function send(phase: TokenEndpointPhase, request: () => Promise<Response>): Promise<Response> {
  try {
    return await request();
  } catch (err) {
    throw classifyTokenEndpointFailure(phase, err);
  }
}

/**
 * Swaps an authorization code for tokens, with the redirect URI exactly as sent at authorize.
 * Throws `AtlassianTokenError` (`unavailable`) when Atlassian cannot be reached.
 *
 * @see https://datatracker.ietf.org/doc/html/rfc6749#section-4.1.3
 * @see https://datatracker.ietf.org/doc/html/rfc7636#section-4.5
 */
export function authorizationCodeRequest(
  settings: Settings,
  client: ClientCredentials,
  params: { code: string; redirectUri: string; codeVerifier: string },
): Promise<Response> {
  return send("code_exchange", () => {
    const as = atlassianAuthorizationServer(settings);
    const oauthClient: oauth.Client = { client_id: client.clientId };
    // The state was checked (and consumed) against Foyer's own transaction before this point.
    const callbackParameters = oauth.validateAuthResponse(
      as,
      oauthClient,
      new URLSearchParams({ code: params.code }),
      oauth.expectNoState,
    );
    return oauth.authorizationCodeGrantRequest(
      as,
      oauthClient,
      oauth.ClientSecretPost(client.clientSecret),
      callbackParameters,
      params.redirectUri,
      params.codeVerifier,
      outboundOptions(settings),
    );
  });
}

/**
 * Reads the code exchange's answer. Throws `AtlassianTokenError`: `grant_dead` means the code is
 * no good (spent, expired, foreign).
 *
 * @see https://datatracker.ietf.org/doc/html/rfc6749#section-5.1
 * @see https://datatracker.ietf.org/doc/html/rfc6749#section-5.2
 */
export function processAuthorizationCodeResponse(
  settings: Pick<AtlassianSettings, "authUrl">,
  client: Pick<ClientCredentials, "clientId">,
  response: Response,
  now: () => number,
): Promise<AtlassianTokens> {
  return processTokenResponse("code_exchange", response, now, () =>
    oauth.processAuthorizationCodeResponse(
      atlassianAuthorizationServer(settings),
      { client_id: client.clientId },
      response,
    ),
  );
}

/**
 * POSTs the refresh_token grant. Atlassian rotates refresh tokens: the caller must store the new
 * one before using the new access token. Throws `AtlassianTokenError` (`unavailable`) when
 * Atlassian cannot be reached.
 *
 * @see https://datatracker.ietf.org/doc/html/rfc6749#section-6
 */
export function refreshRequest(
  settings: Settings,
  client: ClientCredentials,
  refreshToken: string,
): Promise<Response> {
  return send("refresh", () =>
    oauth.refreshTokenGrantRequest(
      atlassianAuthorizationServer(settings),
      { client_id: client.clientId },
      oauth.ClientSecretPost(client.clientSecret),
      refreshToken,
      outboundOptions(settings),
    ),
  );
}

/**
 * Reads a refresh's answer. Throws `AtlassianTokenError`: `grant_dead` means the grant is gone
 * (`invalid_grant`, `unauthorized_client`) and the user must consent again.
 *
 * @see https://datatracker.ietf.org/doc/html/rfc6749#section-5.1
 * @see https://datatracker.ietf.org/doc/html/rfc6749#section-5.2
 */
export function processRefreshResponse(
  settings: Pick<AtlassianSettings, "authUrl">,
  client: Pick<ClientCredentials, "clientId">,
  response: Response,
  now: () => number,
): Promise<AtlassianTokens> {
  return processTokenResponse("refresh", response, now, () =>
    oauth.processRefreshTokenResponse(
      atlassianAuthorizationServer(settings),
      { client_id: client.clientId },
      response,
    ),
  );
}

async function processTokenResponse(
  phase: TokenEndpointPhase,
  response: Response,
  now: () => number,
  process: () => Promise<oauth.TokenEndpointResponse>,
): Promise<AtlassianTokens> {
  let result: oauth.TokenEndpointResponse;
  try {
    result = await process();
  } catch (err) {
    // A 5xx body is never read; free the connection rather than leave it to the garbage collector.
    await response.body?.cancel().catch(() => {});
    throw classifyTokenEndpointFailure(phase, err, response);
  }
  const expiresIn = effectiveExpiresIn(result.expires_in);
  return {
    accessToken: result.access_token,
    refreshToken:
      typeof result.refresh_token === "string" && result.refresh_token ? result.refresh_token : undefined,
    expiresAt: now() + expiresIn * 1000,
    scopes: typeof result.scope === "string" ? result.scope.split(" ").filter(Boolean) : [],
  };
}
