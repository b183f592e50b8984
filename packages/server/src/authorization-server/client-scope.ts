import { OIDC_SCOPES } from "./resources.js";

/**
 * A client's `scope` metadata, as oidc-provider reads it, may hold only the OpenID scopes the
 * server knows (it refuses the whole client otherwise), and limits only those. MCP clients put
 * their resource's scopes there too (`mcp:tools`), from the resource's metadata; what a client
 * may ask of a resource is the resource's business (resources.ts), so such scopes are dropped
 * from the client's metadata rather than refusing the client. RFC 7591 section 3.2.1 lets the
 * server answer with the metadata it actually registered.
 */
export function oidcScopeOnly(scope: unknown): string | undefined {
  if (typeof scope !== "string") return undefined;
  const known = new Set<string>(OIDC_SCOPES);
  const kept = [...new Set(scope.split(" "))].filter((s) => known.has(s));
  return kept.length > 0 ? kept.join(" ") : undefined;
}

/** A registration request (RFC 7591, JSON) with its `scope` reduced to OpenID scopes; other bodies as they are. */
export function registrationBody(body: Buffer): Buffer {
  let metadata: unknown;
  try {
    metadata = JSON.parse(body.toString("utf8"));
  } catch {
    return body;
  }
  if (
    typeof metadata !== "object" ||
    metadata === null ||
    Array.isArray(metadata) ||
    !("scope" in metadata)
  ) {
    return body;
  }
  const { scope, ...rest } = metadata as Record<string, unknown>;
  const kept = oidcScopeOnly(scope);
  return Buffer.from(JSON.stringify(kept ? { ...rest, scope: kept } : rest));
}
