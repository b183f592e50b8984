import * as oauth from "oauth4webapi";
import { ApiError } from "../../errors/api-error.js";
import type { Services } from "../../services.js";
import { atlassianAuthorizationServer } from "./endpoints.js";
import { outboundOptions } from "./outbound.js";

export interface AtlassianTokens {
  accessToken: string;
  refreshToken: string | undefined;
  expiresAt: number;
  scopes: string[];
}

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/**
 * Maps a token-endpoint failure to what a caller must do. Atlassian answers a bad client secret
 * with 401 `access_denied` (the same word as a user's "Cancel"), so the status decides: that is a
 * configuration fault for the operator, never the user's doing.
 */
export function tokenEndpointError(
  err: unknown,
  svc: Services,
  phase: "code_exchange" | "refresh",
): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof oauth.ResponseBodyError) {
    if (err.status === 401) {
      svc.log.error(
        { phase, status: err.status, error: err.error },
        "Atlassian refused the Client ID or Client Secret: fix the Atlassian connection settings",
      );
      return new ApiError("oauth_invalid_client", { cause: err });
    }
    if (err.status >= 500 || err.status === 429) {
      return new ApiError("oauth_provider_unavailable", { cause: err, headers: { "Retry-After": "5" } });
    }
    if (phase === "code_exchange")
      return new ApiError("oauth_code_invalid", { cause: err, meta: { error: err.error } });
    if (err.error === "invalid_grant" || err.error === "unauthorized_client") {
      return new ApiError("oauth_reauthorization_required", { cause: err });
    }
    return new ApiError("oauth_provider_error", { cause: err, meta: { error: err.error } });
  }
  if (err instanceof oauth.OperationProcessingError) {
    return new ApiError("oauth_provider_error", { cause: err });
  }
  // fetch failures, timeouts (AbortSignal.timeout) and refused connections.
  return new ApiError("oauth_provider_unavailable", { cause: err, headers: { "Retry-After": "5" } });
}

/** Reads the token response, leniently where Atlassian is vague, strictly where it matters. */
export async function processTokenResponse(
  svc: Services,
  creds: ClientCredentials,
  response: Response,
  phase: "code_exchange" | "refresh",
): Promise<AtlassianTokens> {
  if (response.status >= 500 || (response.status >= 300 && response.status < 400)) {
    throw new ApiError("oauth_provider_unavailable", {
      headers: { "Retry-After": response.headers.get("retry-after") ?? "5" },
      meta: { status: response.status },
    });
  }
  const as = atlassianAuthorizationServer(svc.atlassian);
  const client: oauth.Client = { client_id: creds.clientId };
  const result =
    phase === "code_exchange"
      ? await oauth.processAuthorizationCodeResponse(as, client, response)
      : await oauth.processRefreshTokenResponse(as, client, response);
  const expiresIn = typeof result.expires_in === "number" && result.expires_in > 0 ? result.expires_in : 3600;
  return {
    accessToken: result.access_token,
    refreshToken:
      typeof result.refresh_token === "string" && result.refresh_token ? result.refresh_token : undefined,
    expiresAt: svc.now() + expiresIn * 1000,
    scopes: typeof result.scope === "string" ? result.scope.split(" ").filter(Boolean) : [],
  };
}

/**
 * Swaps an authorization code for tokens: client secret in the body (what Atlassian documents),
 * PKCE verifier alongside, and the redirect URI exactly as sent at authorize.
 */
export async function exchangeCode(
  svc: Services,
  creds: ClientCredentials,
  params: { code: string; redirectUri: string; codeVerifier: string },
): Promise<AtlassianTokens> {
  const as = atlassianAuthorizationServer(svc.atlassian);
  const client: oauth.Client = { client_id: creds.clientId };
  try {
    // The state was checked (and consumed) against our own transaction before this point.
    const callbackParams = oauth.validateAuthResponse(
      as,
      client,
      new URLSearchParams({ code: params.code }),
      oauth.expectNoState,
    );
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.ClientSecretPost(creds.clientSecret),
      callbackParams,
      params.redirectUri,
      params.codeVerifier,
      outboundOptions(svc.atlassian),
    );
    return await processTokenResponse(svc, creds, response, "code_exchange");
  } catch (err) {
    throw tokenEndpointError(err, svc, "code_exchange");
  }
}
