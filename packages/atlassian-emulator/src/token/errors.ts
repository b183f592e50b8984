/**
 * Every JSON error the token endpoint answers, with the status and wording measured against the
 * real auth.atlassian.com (atlassian-3lo §2-§3 tables).
 */
export interface TokenError {
  status: 400 | 401 | 403;
  body: { error: string; error_description: string };
}

export const tokenErrors = {
  /** Bad/missing secret, unknown client, and PKCE-only exchanges all look like this. */
  unauthorizedClient: (): TokenError => ({
    status: 401,
    body: { error: "access_denied", error_description: "Unauthorized" },
  }),
  badCodeInvalidRequest: (): TokenError => ({
    status: 400,
    body: { error: "invalid_request", error_description: "authorization_code is invalid" },
  }),
  badCodeInvalidGrant: (): TokenError => ({
    status: 403,
    body: { error: "invalid_grant", error_description: "Invalid authorization code" },
  }),
  unknownRefreshToken: (): TokenError => ({
    status: 403,
    body: { error: "unauthorized_client", error_description: "refresh_token is invalid" },
  }),
  deadRefreshFamily: (): TokenError => ({
    status: 403,
    body: { error: "invalid_grant", error_description: "Unknown or invalid refresh token." },
  }),
  malformed: (): TokenError => ({
    status: 400,
    body: { error: "invalid_request", error_description: "Malformed request body" },
  }),
  unsupportedGrantType: (): TokenError => ({
    status: 400,
    body: { error: "unsupported_grant_type", error_description: "Unsupported grant type" },
  }),
  missingRefreshToken: (): TokenError => ({
    status: 400,
    body: { error: "invalid_request", error_description: "Missing required parameter: refresh_token" },
  }),
};
