import type { Instance } from "../instances/instances.js";
import { parseResourceUrl, RESOURCE_SCOPE } from "../instances/oauth-resources.js";
import { isLoopbackName } from "../net/outbound-url.js";

/**
 * Which resources (RFC 8707) an instance issues access tokens for, and with which scopes. A
 * token is for exactly one resource: its `aud` is the resource indicator the client sent, as
 * the operator registered it (`oauth_resources`). A development instance also serves any
 * plain-http loopback resource (an MCP server on the developer's machine) with the scopes asked
 * for, when they look like scopes. Anything else is `invalid_target`.
 */
export const OIDC_SCOPES = ["openid", "profile", "email", "offline_access"] as const;

export interface ResourcePolicy {
  /** The audience: the indicator as the client sent it. */
  resource: string;
  name: string;
  /** The scopes a token for this resource may carry. */
  scopes: string[];
}

export function resourcePolicy(
  instance: Pick<Instance, "environment" | "oauth_resources">,
  resource: string,
  askedScopes: readonly string[],
): ResourcePolicy | undefined {
  const parsed = parseResourceUrl(resource, instance.environment);
  if (!parsed) return undefined;
  const registered = instance.oauth_resources.find((r) => r.resource === parsed);
  if (registered) return { ...registered, resource };
  if (instance.environment !== "development") return undefined;
  const url = new URL(parsed);
  if (url.protocol !== "http:" || !isLoopbackName(url.hostname)) return undefined;
  const oidc = new Set<string>(OIDC_SCOPES);
  return {
    resource,
    name: url.host,
    scopes: askedScopes.filter((s) => !oidc.has(s) && RESOURCE_SCOPE.test(s)),
  };
}
