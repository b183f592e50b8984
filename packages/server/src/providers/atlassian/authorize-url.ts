import type { AtlassianSettings } from "../../services.js";
import { AUDIENCE, atlassianAuthorizationServer } from "./endpoints.js";

/**
 * The Atlassian authorize URL (atlassian-3lo §1). Scopes are joined by a single space and encoded
 * as %20 (commas do not work there); `audience` and `prompt=consent` go along as Atlassian
 * documents; PKCE S256 rides along with the client secret (Atlassian ignores it or checks it,
 * either is fine). No `resource` parameter: Atlassian fails the token exchange when one was sent.
 *
 * @see https://datatracker.ietf.org/doc/html/rfc6749#section-4.1.1
 * @see https://datatracker.ietf.org/doc/html/rfc7636#section-4.3
 */
export function buildAuthorizeUrl(
  settings: Pick<AtlassianSettings, "authUrl">,
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
  const endpoint = atlassianAuthorizationServer(settings).authorization_endpoint;
  return `${endpoint}?${params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&")}`;
}
