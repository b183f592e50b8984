/**
 * Verifying Foyer's OAuth access tokens (RFC 9068 JWTs) without a network call per request: the
 * authorization server's keys are fetched once from its metadata's `jwks_uri` and cached by jose
 * (refetched only for an unknown `kid`), or given outright.
 */
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  errors as joseErrors,
  jwtVerify,
} from "jose";
import { McpAuthError } from "./errors.js";
import { canonicalResource } from "./metadata.js";

/** What a verified token says, in the MCP SDK's `AuthInfo` shape (`req.auth`, `extra.authInfo`). */
export interface FoyerAuthInfo {
  /** The access token itself (never send it upstream: use `atlassianFor`). */
  token: string;
  clientId: string;
  scopes: string[];
  /** Unix seconds. */
  expiresAt: number;
  /** The audience the token was issued for: this server's resource. */
  resource: URL;
  extra: {
    /** The Foyer user (`user_…`) the token acts for. */
    userId: string;
    issuer: string;
    jti: string;
    claims: JWTPayload;
  };
}

/** How the verifier finds the authorization server's keys and what it requires. */
export interface AccessTokenVerifierOptions {
  /** The Foyer instance's issuer (its Frontend API URL); `iss` must equal it exactly. */
  issuer: string;
  /** This server's resource URL; `aud` must name it (RFC 8707 / RFC 9068 §4). */
  resource: string;
  /**
   * The authorization server's keys: a JWKS document, or jose's key getter. Without it they are
   * fetched from `${issuer}/.well-known/oauth-authorization-server`'s `jwks_uri`, once.
   */
  jwks?: JSONWebKeySet | JWTVerifyGetKey;
  /** Scopes every request needs (per-tool scopes go to `verifyAccessToken(token, scopes)`). */
  requiredScopes?: readonly string[];
  /** Clock skew allowed on `exp`/`nbf`/`iat`, in seconds (default 5). */
  clockToleranceSeconds?: number;
  /** Fetch for the metadata and the JWKS (default the global fetch). */
  fetch?: typeof fetch;
}

/**
 * Compatible with the MCP SDK's `OAuthTokenVerifier`: hand it (through `sdkTokenVerifier` from
 * `@foyer/mcp/sdk`) to the SDK's `requireBearerAuth`, or call it yourself.
 */
export interface AccessTokenVerifier {
  /** Resolves with the token's AuthInfo or rejects with an McpAuthError. */
  verifyAccessToken(token: string, requiredScopes?: readonly string[]): Promise<FoyerAuthInfo>;
}

/** RFC 9068 §2.1 says RS256 at least; Foyer's authorization server signs with RS256 or ES256. */
const ALGORITHMS = ["RS256", "ES256"];

/** The `jwks_uri` of the issuer's RFC 8414 metadata, which must name the same issuer (§3.3). */
async function jwksUriOf(issuer: string, doFetch: typeof fetch): Promise<URL> {
  const url = `${issuer.replace(/\/+$/, "")}/.well-known/oauth-authorization-server`;
  const res = await doFetch(url, { headers: { accept: "application/json" }, redirect: "error" });
  if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}.`);
  const meta = (await res.json()) as { issuer?: unknown; jwks_uri?: unknown };
  if (meta.issuer !== issuer) throw new Error(`${url} names another issuer (${String(meta.issuer)}).`);
  if (typeof meta.jwks_uri !== "string") throw new Error(`${url} has no jwks_uri.`);
  return new URL(meta.jwks_uri);
}

function keysFrom(options: AccessTokenVerifierOptions): JWTVerifyGetKey {
  if (typeof options.jwks === "function") return options.jwks;
  if (options.jwks) return createLocalJWKSet(options.jwks);
  const doFetch = options.fetch ?? fetch;
  let remote: Promise<JWTVerifyGetKey> | undefined;
  return async (header, token) => {
    // One discovery per process; a failed one is forgotten so the next request tries again.
    remote ??= jwksUriOf(options.issuer, doFetch).then((uri) =>
      createRemoteJWKSet(uri, { [customFetch]: doFetch as never }),
    );
    let getKey: JWTVerifyGetKey;
    try {
      getKey = await remote;
    } catch (err) {
      remote = undefined;
      throw err;
    }
    return getKey(header, token);
  };
}

function refusal(err: unknown): McpAuthError {
  if (err instanceof McpAuthError) return err;
  if (err instanceof joseErrors.JWTExpired)
    return new McpAuthError("expired", "The access token has expired.");
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    switch (err.claim) {
      case "iss":
        return new McpAuthError(
          "wrong_issuer",
          "The access token was issued by another authorization server.",
        );
      case "aud":
        return new McpAuthError("wrong_audience", "The access token was issued for another resource.");
      case "typ":
        return new McpAuthError("wrong_type", "The token is not an OAuth access token (typ at+jwt).");
      case "nbf":
      case "iat":
        return new McpAuthError("not_yet_valid", "The access token is not valid yet.");
      default:
        return new McpAuthError(
          "missing_claim",
          `The access token's ${err.claim} claim is missing or invalid.`,
        );
    }
  }
  if (
    err instanceof joseErrors.JWSSignatureVerificationFailed ||
    err instanceof joseErrors.JWKSNoMatchingKey
  ) {
    return new McpAuthError("bad_signature", "The access token's signature does not verify.");
  }
  if (err instanceof joseErrors.JWKSMultipleMatchingKeys) {
    return new McpAuthError("bad_signature", "The access token's signature does not verify.");
  }
  if (
    err instanceof joseErrors.JWSInvalid ||
    err instanceof joseErrors.JWTInvalid ||
    err instanceof joseErrors.JOSEAlgNotAllowed ||
    err instanceof joseErrors.JOSENotSupported
  ) {
    return new McpAuthError("malformed_token", "The access token is not a JWT Foyer issues.");
  }
  return new McpAuthError("keys_unavailable", "The authorization server's keys could not be loaded.", {
    cause: err,
  });
}

/**
 * A verifier of one MCP server's access tokens: signature by the issuer's keys, `typ` at+jwt,
 * `iss`, `aud` = this resource, `exp`, and the scopes required.
 */
export function createAccessTokenVerifier(options: AccessTokenVerifierOptions): AccessTokenVerifier {
  const resource = canonicalResource(options.resource);
  const getKey = keysFrom(options);
  const always = options.requiredScopes ?? [];
  return {
    async verifyAccessToken(token, requiredScopes = []) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, getKey, {
          issuer: options.issuer,
          audience: resource,
          typ: "at+jwt",
          algorithms: ALGORITHMS,
          requiredClaims: ["exp", "iat", "sub", "client_id", "jti"],
          clockTolerance: options.clockToleranceSeconds ?? 5,
        }));
      } catch (err) {
        throw refusal(err);
      }
      const claims = payload as JWTPayload & { client_id?: unknown; scope?: unknown };
      if (
        typeof claims.client_id !== "string" ||
        typeof claims.sub !== "string" ||
        typeof claims.jti !== "string"
      ) {
        throw new McpAuthError("missing_claim", "The access token's sub, client_id or jti is not a string.");
      }
      const scopes = typeof claims.scope === "string" ? claims.scope.split(" ").filter(Boolean) : [];
      const needed = [...new Set([...always, ...requiredScopes])];
      if (!needed.every((s) => scopes.includes(s))) {
        throw new McpAuthError(
          "missing_scope",
          `The access token lacks a scope: ${needed.join(" ")} needed.`,
          {
            requiredScopes: needed,
          },
        );
      }
      return {
        token,
        clientId: claims.client_id,
        scopes,
        expiresAt: claims.exp as number,
        resource: new URL(resource),
        extra: { userId: claims.sub, issuer: options.issuer, jti: claims.jti, claims: payload },
      };
    },
  };
}
