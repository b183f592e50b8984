/**
 * What an MCP server publishes so a client can find Foyer: the protected resource metadata
 * document (RFC 9728) and where it lives, and the `WWW-Authenticate: Bearer` challenges that point
 * at it (RFC 6750 §3, RFC 9728 §5.1, MCP authorization spec 2025-11-25).
 */

/** The RFC 9728 document an MCP client reads to learn which authorization server to use. */
export interface ProtectedResourceMetadata {
  /** This server's resource identifier: the URL clients connect to (e.g. `https://mcp.example.com/mcp`). */
  resource: string;
  /** The one authorization server: the Foyer instance's issuer (its Frontend API URL). */
  authorization_servers: string[];
  scopes_supported: string[];
  /** Tokens are accepted only in the `Authorization` header (never a query parameter or body). */
  bearer_methods_supported: ["header"];
  resource_name?: string;
  resource_documentation?: string;
}

/** Inputs of {@link protectedResourceMetadata}. */
export interface ProtectedResourceOptions {
  /** This server's resource URL, exactly as clients are told to connect to it. */
  resource: string;
  /** The Foyer instance's issuer (Frontend API URL). */
  issuer: string;
  /** The scopes this server's tools need, e.g. `["jira:read"]`. */
  scopes: readonly string[];
  /** A human-readable name shown by clients on the consent screen. */
  resourceName?: string;
  resourceDocumentation?: string;
}

/**
 * The resource URL in its canonical form: an absolute http(s) URL without fragment. Throws a
 * TypeError on anything else, at start-up rather than at the first request.
 */
export function canonicalResource(resource: string): string {
  let url: URL;
  try {
    url = new URL(resource);
  } catch {
    throw new TypeError(`@foyer/mcp: resource must be an absolute URL (got "${resource}").`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new TypeError(`@foyer/mcp: resource must be an http(s) URL (got "${resource}").`);
  }
  if (url.hash || url.search) {
    throw new TypeError(`@foyer/mcp: resource must have no query or fragment (got "${resource}").`);
  }
  // The serialization the MCP SDK client sends as RFC 8707 `resource` (`https://h` -> `https://h/`).
  return url.href;
}

/** The protected resource metadata document of an MCP server protected by Foyer. */
export function protectedResourceMetadata(options: ProtectedResourceOptions): ProtectedResourceMetadata {
  const doc: ProtectedResourceMetadata = {
    resource: canonicalResource(options.resource),
    authorization_servers: [options.issuer],
    scopes_supported: [...options.scopes],
    bearer_methods_supported: ["header"],
  };
  if (options.resourceName) doc.resource_name = options.resourceName;
  if (options.resourceDocumentation) doc.resource_documentation = options.resourceDocumentation;
  return doc;
}

/**
 * Where the document is served (RFC 9728 §3.1): the well-known prefix inserted between the
 * origin and the resource's path, `https://h/mcp` -> `https://h/.well-known/oauth-protected-resource/mcp`.
 * This is the first URL the MCP SDK client probes (it falls back to the origin's root document).
 */
export function protectedResourceMetadataUrl(resource: string): string {
  const url = new URL(canonicalResource(resource));
  const path = url.pathname === "/" ? "" : url.pathname.replace(/\/$/, "");
  return `${url.origin}/.well-known/oauth-protected-resource${path}`;
}

/** A challenge's parts; values are quoted, so they must not hold `"` or `\`. */
export interface BearerChallenge {
  resourceMetadataUrl: string;
  /** The scopes the request needs (space-separated in the header). */
  scope?: readonly string[];
  error?: "invalid_token" | "insufficient_scope" | "invalid_request";
  errorDescription?: string;
}

const quoted = (value: string) => `"${value.replace(/["\\]/g, "")}"`;

/**
 * The `WWW-Authenticate` value: `Bearer resource_metadata="…", scope="…"` on a request without a
 * token (no `error`, RFC 6750 §3.1), with `error="invalid_token"` on a refused token (401) and
 * `error="insufficient_scope"` when the token lacks a scope (403: the client steps up).
 */
export function bearerChallenge(challenge: BearerChallenge): string {
  const parts: string[] = [];
  if (challenge.error) parts.push(`error=${quoted(challenge.error)}`);
  if (challenge.errorDescription) parts.push(`error_description=${quoted(challenge.errorDescription)}`);
  parts.push(`resource_metadata=${quoted(challenge.resourceMetadataUrl)}`);
  if (challenge.scope && challenge.scope.length > 0) parts.push(`scope=${quoted(challenge.scope.join(" "))}`);
  return `Bearer ${parts.join(", ")}`;
}
