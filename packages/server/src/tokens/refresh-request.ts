/**
 * One refresh_token grant at Atlassian (atlassian-3lo §3), as a pair in oauth4webapi's manner:
 * `sendRefreshRequest` makes the call, `processRefreshResponse` says what came back. Every failure
 * becomes a `RefreshFailure` whose `kind` tells the caller what to do (arctic's split):
 *
 * - `grant_dead`: Atlassian said no (`invalid_grant`, `unauthorized_client`): ask the user again.
 * - `unavailable`: network error, timeout, 5xx or 429: retry later; the grant is fine.
 * - `invalid_client`: 401 `access_denied`: the Client ID/Secret are wrong: an operator fixes it.
 *   Not a dead grant: sending users back to consent for it would loop forever (3LO §10b.9).
 * - `nonsense`: anything else (HTML, missing fields): alert; the grant is probably fine.
 *
 * https://datatracker.ietf.org/doc/html/rfc6749#section-6
 */
import * as oauth from "oauth4webapi";
import type { AtlassianClient } from "../connections/atlassian-connection.js";
import { atlassianAuthorizationServer } from "../providers/atlassian/endpoints.js";
import { outboundOptions } from "../providers/atlassian/outbound.js";
import type { Services } from "../services.js";

export type RefreshFailureKind = "grant_dead" | "unavailable" | "invalid_client" | "nonsense";

export class RefreshFailure extends Error {
  readonly kind: RefreshFailureKind;
  /** Seconds Atlassian asked us to wait (Retry-After), for `unavailable`. */
  readonly retryAfterSeconds: number | undefined;
  /** Atlassian's `error` code, when it sent one. Never the token. */
  readonly oauthError: string | undefined;

  constructor(
    kind: RefreshFailureKind,
    message: string,
    opts: { retryAfterSeconds?: number; oauthError?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = "RefreshFailure";
    this.kind = kind;
    this.retryAfterSeconds = opts.retryAfterSeconds;
    this.oauthError = opts.oauthError;
  }
}

export interface RefreshedTokens {
  accessToken: string;
  /** Undefined when Atlassian sent none (a seen quirk): the stored one is then kept. */
  refreshToken: string | undefined;
  expiresInSeconds: number;
  scope: string | undefined;
}

/** Atlassian documents a 1 h access token; used only if a response leaves expires_in out. */
const DEFAULT_EXPIRES_IN = 3600;

function retryAfter(headers: Headers): number | undefined {
  const value = headers.get("retry-after");
  if (!value) return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** POSTs the refresh grant. Throws `RefreshFailure("unavailable")` when Atlassian cannot be reached. */
export async function sendRefreshRequest(
  svc: Services,
  client: Pick<AtlassianClient, "clientId" | "clientSecret">,
  refreshToken: string,
): Promise<Response> {
  try {
    return await oauth.refreshTokenGrantRequest(
      atlassianAuthorizationServer(svc.atlassian),
      { client_id: client.clientId },
      oauth.ClientSecretPost(client.clientSecret),
      refreshToken,
      outboundOptions(svc.atlassian),
    );
  } catch (err) {
    throw new RefreshFailure("unavailable", "Atlassian's token endpoint could not be reached", {
      cause: err,
    });
  }
}

/** Checks a refresh response and returns the new tokens, or throws a classified `RefreshFailure`. */
export async function processRefreshResponse(
  svc: Services,
  clientId: string,
  response: Response,
): Promise<RefreshedTokens> {
  // 5xx and 429 first: their bodies are gateway HTML, and they say nothing about the grant.
  if (response.status >= 500 || response.status === 429) {
    await response.body?.cancel().catch(() => {});
    throw new RefreshFailure("unavailable", `Atlassian's token endpoint answered ${response.status}`, {
      retryAfterSeconds: retryAfter(response.headers),
    });
  }
  let result: oauth.TokenEndpointResponse;
  try {
    result = await oauth.processRefreshTokenResponse(
      atlassianAuthorizationServer(svc.atlassian),
      { client_id: clientId },
      response,
    );
  } catch (err) {
    if (err instanceof oauth.ResponseBodyError) {
      if (err.error === "invalid_grant" || err.error === "unauthorized_client") {
        throw new RefreshFailure("grant_dead", `Atlassian refused the refresh token (${err.error})`, {
          oauthError: err.error,
        });
      }
      if (err.status === 401 || err.error === "access_denied" || err.error === "invalid_client") {
        throw new RefreshFailure("invalid_client", "Atlassian refused the client credentials", {
          oauthError: err.error,
        });
      }
      throw new RefreshFailure("nonsense", `Atlassian answered the refresh with ${err.error}`, {
        oauthError: err.error,
      });
    }
    if (err instanceof oauth.WWWAuthenticateChallengeError) {
      throw new RefreshFailure("invalid_client", "Atlassian refused the client credentials");
    }
    // No `cause`: oauth4webapi attaches the parsed body, which may hold a token, and causes get logged.
    const reason = err instanceof Error ? err.message : "unknown";
    throw new RefreshFailure("nonsense", `Atlassian's refresh response was not a token response: ${reason}`);
  }
  return {
    accessToken: result.access_token,
    refreshToken: typeof result.refresh_token === "string" ? result.refresh_token : undefined,
    expiresInSeconds:
      typeof result.expires_in === "number" && result.expires_in > 0 ? result.expires_in : DEFAULT_EXPIRES_IN,
    scope: typeof result.scope === "string" ? result.scope : undefined,
  };
}
