import type * as oauth from "oauth4webapi";
import type { AtlassianSettings } from "../../services.js";

/**
 * Atlassian's authorization server as oauth4webapi describes one. Atlassian publishes no
 * discovery document for 3LO, so the metadata is written out: `/authorize` and `/oauth/token`
 * on auth.atlassian.com (not `/oauth/authorize`, not `/token`: both are 404s there).
 *
 * @see https://datatracker.ietf.org/doc/html/rfc8414#section-2 (the metadata fields)
 */
export function atlassianAuthorizationServer(
  settings: Pick<AtlassianSettings, "authUrl">,
): oauth.AuthorizationServer {
  return {
    issuer: settings.authUrl,
    authorization_endpoint: `${settings.authUrl}/authorize`,
    token_endpoint: `${settings.authUrl}/oauth/token`,
  };
}

/** GET /me: the user's Atlassian identity (atlassian-3lo §5). */
export function meEndpoint(settings: Pick<AtlassianSettings, "apiUrl">): string {
  return `${settings.apiUrl}/me`;
}

/** GET /oauth/token/accessible-resources: the sites the grant covers (atlassian-3lo §6). */
export function accessibleResourcesEndpoint(settings: Pick<AtlassianSettings, "apiUrl">): string {
  return `${settings.apiUrl}/oauth/token/accessible-resources`;
}

/** Tokens are only good with this audience; every known client sends it. */
export const AUDIENCE = "api.atlassian.com";
