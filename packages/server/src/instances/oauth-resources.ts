import { ApiError } from "../errors/api-error.js";
import type { Environment, OAuthResource } from "./instance-row.js";
import { isLoopbackHost } from "./origins.js";

/** A scope a resource may define: short, lower-case, no spaces (it travels space-separated). */
export const RESOURCE_SCOPE = /^[a-z0-9][a-z0-9:._-]{0,63}$/;

export const MAX_OAUTH_RESOURCES = 50;

/**
 * A resource indicator (RFC 8707 section 2) as Foyer accepts it: an absolute https URL without
 * a fragment (plain http only on a loopback host, for development). Returns the normalised URL
 * text or undefined. The token's `aud` is this text exactly, so it is normalised once, here.
 */
export function parseResourceUrl(value: string, environment: Environment): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.hash || value.includes("#") || url.username || url.password) return undefined;
  const secure =
    url.protocol === "https:" ||
    (url.protocol === "http:" && isLoopbackHost(url.hostname) && environment === "development");
  return secure ? url.href : undefined;
}

/** Checks the operator's list of resources (PATCH /platform/v1/instances/{id}); 422 naming the field. */
export function parseOAuthResources(list: OAuthResource[], environment: Environment): OAuthResource[] {
  const invalid = (longMessage: string) =>
    new ApiError("form_param_invalid", { longMessage, meta: { param_name: "oauth_resources" } });
  if (list.length > MAX_OAUTH_RESOURCES) throw invalid(`At most ${MAX_OAUTH_RESOURCES} resources.`);
  const seen = new Set<string>();
  return list.map((entry) => {
    const resource = parseResourceUrl(entry.resource, environment);
    if (!resource) {
      throw invalid(
        `${JSON.stringify(entry.resource)} is not a resource URL: an absolute https URL without a fragment` +
          (environment === "development" ? " (or plain http on localhost)." : "."),
      );
    }
    if (seen.has(resource)) throw invalid(`${resource} is listed twice.`);
    seen.add(resource);
    const bad = entry.scopes.find((s) => !RESOURCE_SCOPE.test(s));
    if (bad !== undefined) {
      throw invalid(`Scope ${JSON.stringify(bad)} of ${resource} must match ${RESOURCE_SCOPE.source}.`);
    }
    return { resource, name: entry.name, scopes: [...new Set(entry.scopes)] };
  });
}
