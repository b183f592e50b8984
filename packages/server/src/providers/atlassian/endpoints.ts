import type * as oauth from "oauth4webapi";
import type { Services } from "../../services.js";

/**
 * Atlassian's authorization server as oauth4webapi describes one. Atlassian publishes no
 * discovery document for 3LO, so the metadata is written out: `/authorize` and `/oauth/token`
 * on auth.atlassian.com (not `/oauth/authorize`, not `/token`: both are 404s there).
 */
export function atlassianAuthorizationServer(svc: Services): oauth.AuthorizationServer {
  return {
    issuer: svc.atlassian.authUrl,
    authorization_endpoint: `${svc.atlassian.authUrl}/authorize`,
    token_endpoint: `${svc.atlassian.authUrl}/oauth/token`,
  };
}

export function meEndpoint(svc: Services): string {
  return `${svc.atlassian.apiUrl}/me`;
}

export function accessibleResourcesEndpoint(svc: Services): string {
  return `${svc.atlassian.apiUrl}/oauth/token/accessible-resources`;
}

/** Tokens are only good with this audience; every known client sends it. */
export const AUDIENCE = "api.atlassian.com";
