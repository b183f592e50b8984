/**
 * One MCP server's protection by Foyer: its metadata document, its challenges, and the check of
 * each request's Bearer token, framework-free (a header in, a verdict out).
 */
import { parsePublishableKey } from "@foyer/contract";
import { McpAuthError } from "./errors.js";
import {
  bearerChallenge,
  canonicalResource,
  type ProtectedResourceMetadata,
  protectedResourceMetadata,
  protectedResourceMetadataUrl,
} from "./metadata.js";
import {
  type AccessTokenVerifier,
  type AccessTokenVerifierOptions,
  createAccessTokenVerifier,
  type FoyerAuthInfo,
} from "./verify-access-token.js";

/** Options of {@link protectResource}. */
export interface ProtectResourceOptions
  extends Pick<AccessTokenVerifierOptions, "jwks" | "fetch" | "clockToleranceSeconds"> {
  /** The instance's publishable key: the issuer is the Frontend API URL it carries. */
  publishableKey: string;
  /** This server's resource URL, e.g. `http://localhost:3005/mcp`. */
  resource: string;
  /** Every scope the server's tools use (published as `scopes_supported`). */
  scopes: readonly string[];
  /** Scopes every request needs, whatever it calls (default none). */
  requiredScopes?: readonly string[];
  resourceName?: string;
}

/** A refusal ready to send: status, headers (the challenge) and a JSON body. */
export interface Refusal {
  status: number;
  headers: Record<string, string>;
  body: { error: string; error_description: string };
}

/** The verdict on one request. */
export type AuthResult =
  | { ok: true; auth: FoyerAuthInfo }
  | { ok: false; error: McpAuthError; refusal: Refusal };

/** What {@link protectResource} returns. */
export interface ProtectedResource {
  /** The Foyer instance's issuer. */
  issuer: string;
  /** The canonical resource URL (what `aud` must be). */
  resource: string;
  /** The RFC 9728 document; serve it as JSON at {@link metadataUrl}. */
  metadata: ProtectedResourceMetadata;
  /** `<origin>/.well-known/oauth-protected-resource<resource path>`. */
  metadataUrl: string;
  /** The path part of metadataUrl, for routers. */
  metadataPath: string;
  verifier: AccessTokenVerifier;
  /**
   * Checks an `Authorization` header value for this resource and these scopes. Missing or
   * refused tokens come back as a 401 refusal, a missing scope as a 403 `insufficient_scope` one.
   */
  authenticate(
    authorization: string | null | undefined,
    requiredScopes?: readonly string[],
  ): Promise<AuthResult>;
  /** The same for a web-standard Request: AuthInfo, or the Response to send. */
  authenticateRequest(
    request: Request,
    requiredScopes?: readonly string[],
  ): Promise<FoyerAuthInfo | Response>;
  /** The refusal (status, `WWW-Authenticate`, body) for an error. */
  refusalFor(error: McpAuthError): Refusal;
}

/**
 * Protects one MCP server with a Foyer instance's authorization server. The token check makes no
 * network call per request: the AS keys are fetched once (or given as `jwks`).
 */
export function protectResource(options: ProtectResourceOptions): ProtectedResource {
  const key = parsePublishableKey(options.publishableKey);
  if (!key)
    throw new TypeError(
      "@foyer/mcp: publishableKey must be a Foyer publishable key (pk_test_… or pk_live_…).",
    );
  const issuer = key.frontendApiUrl;
  const resource = canonicalResource(options.resource);
  const metadata = protectedResourceMetadata({
    resource,
    issuer,
    scopes: options.scopes,
    resourceName: options.resourceName,
  });
  const metadataUrl = protectedResourceMetadataUrl(resource);
  const always = options.requiredScopes ?? [];
  const verifier = createAccessTokenVerifier({
    issuer,
    resource,
    jwks: options.jwks,
    fetch: options.fetch,
    clockToleranceSeconds: options.clockToleranceSeconds,
    requiredScopes: always,
  });

  const refusalFor = (error: McpAuthError): Refusal => {
    const scope = error.requiredScopes.length > 0 ? error.requiredScopes : always;
    // A request without any token gets the bare challenge (RFC 6750 §3.1: no error code).
    const bare = error.reason === "missing_token";
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "www-authenticate": bearerChallenge({
        resourceMetadataUrl: metadataUrl,
        scope: error.code === "insufficient_scope" || bare ? scope : undefined,
        error: bare ? undefined : error.code,
        errorDescription: bare ? undefined : error.message,
      }),
    };
    if (error.status === 503) {
      delete headers["www-authenticate"];
      headers["retry-after"] = "5";
    }
    return { status: error.status, headers, body: { error: error.code, error_description: error.message } };
  };

  const authenticate = async (
    authorization: string | null | undefined,
    requiredScopes: readonly string[] = [],
  ): Promise<AuthResult> => {
    try {
      if (!authorization) throw new McpAuthError("missing_token", "This MCP server needs an access token.");
      const m = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(authorization.trim());
      if (!m)
        throw new McpAuthError("malformed_header", "The Authorization header must be `Bearer <token>`.");
      return { ok: true, auth: await verifier.verifyAccessToken(m[1]!, requiredScopes) };
    } catch (err) {
      if (!(err instanceof McpAuthError)) throw err;
      return { ok: false, error: err, refusal: refusalFor(err) };
    }
  };

  return {
    issuer,
    resource,
    metadata,
    metadataUrl,
    metadataPath: new URL(metadataUrl).pathname,
    verifier,
    authenticate,
    refusalFor,
    async authenticateRequest(request, requiredScopes) {
      const result = await authenticate(request.headers.get("authorization"), requiredScopes);
      if (result.ok) return result.auth;
      const { status, headers, body } = result.refusal;
      return Response.json(body, { status, headers });
    },
  };
}

/**
 * The scopes a JSON-RPC message (or batch) needs before it reaches the MCP server: for each
 * `tools/call`, the scopes listed for that tool. Checked at the HTTP layer, so a missing one is
 * answered with the 403 `insufficient_scope` challenge the MCP client steps up on.
 */
export function scopesForMessage(
  body: unknown,
  toolScopes: Readonly<Record<string, readonly string[]>>,
): string[] {
  const messages = Array.isArray(body) ? body : [body];
  const needed = new Set<string>();
  for (const msg of messages) {
    if (typeof msg !== "object" || msg === null) continue;
    const { method, params } = msg as { method?: unknown; params?: { name?: unknown } };
    if (method !== "tools/call" || typeof params?.name !== "string") continue;
    for (const s of Object.hasOwn(toolScopes, params.name) ? toolScopes[params.name]! : []) needed.add(s);
  }
  return [...needed];
}
