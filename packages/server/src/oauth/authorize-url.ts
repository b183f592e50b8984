import { AUDIENCE } from "../providers/atlassian/endpoints.js";

/**
 * The Atlassian authorize URL. Scopes are joined by a single space and encoded as %20 (commas do
 * not work there); `audience` and `prompt=consent` go along as Atlassian documents; PKCE S256
 * rides along with the client secret (Atlassian ignores it or checks it, either is fine). No
 * `resource` parameter: Atlassian fails the token exchange when one was sent.
 */
export function buildAuthorizeUrl(
  authorizationEndpoint: string,
  p: { clientId: string; scopes: string[]; redirectUri: string; state: string; codeChallenge: string },
): string {
  const params: Array<[string, string]> = [
    ["audience", AUDIENCE],
    ["client_id", p.clientId],
    ["scope", p.scopes.join(" ")],
    ["redirect_uri", p.redirectUri],
    ["state", p.state],
    ["response_type", "code"],
    ["prompt", "consent"],
    ["code_challenge", p.codeChallenge],
    ["code_challenge_method", "S256"],
  ];
  return `${authorizationEndpoint}?${params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&")}`;
}
