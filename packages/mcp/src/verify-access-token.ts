/**
 * Verifying Foyer's OAuth access tokens (RFC 9068 JWTs) without a network call per request: the
 * authorization server's keys are fetched once from its metadata's `jwks_uri` and cached by jose
 * (refetched only for an unknown `kid`), or given outright.
 */
import type { KeyObject } from "node:crypto";
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  errors as joseErrors,
} from "jose";
import { asKeyObject, decodeAccessToken, jsonPart, signatureValid } from "./access-token-jws.js";
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
  /** The clock, in ms (default Date.now). */
  now?: () => number;
}

/**
 * Compatible with the MCP SDK's `OAuthTokenVerifier`: hand it (through `sdkTokenVerifier` from
 * `@foyer/mcp/sdk`) to the SDK's `requireBearerAuth`, or call it yourself.
 */
export interface AccessTokenVerifier {
  /** Resolves with the token's AuthInfo or rejects with an McpAuthError. */
  verifyAccessToken(token: string, requiredScopes?: readonly string[]): Promise<FoyerAuthInfo>;
}

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

/** What jose's key lookup throws, as a refusal: a token for no known key, or keys unreachable. */
function keyRefusal(err: unknown): McpAuthError {
  if (err instanceof McpAuthError) return err;
  if (
    err instanceof joseErrors.JWKSNoMatchingKey ||
    err instanceof joseErrors.JWKSMultipleMatchingKeys ||
    err instanceof joseErrors.JOSENotSupported
  ) {
    return new McpAuthError("bad_signature", "The access token's signature does not verify.");
  }
  return new McpAuthError("keys_unavailable", "The authorization server's keys could not be loaded.", {
    cause: err,
  });
}

const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** RFC 9068 §4's checks of the claims, after the signature: iss, aud, exp, nbf, and the strings. */
function checkClaims(
  claims: Record<string, unknown>,
  issuer: string,
  resource: string,
  toleranceS: number,
  nowS: number,
) {
  if (claims.iss !== issuer) {
    throw new McpAuthError("wrong_issuer", "The access token was issued by another authorization server.");
  }
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.includes(resource)) {
    throw new McpAuthError("wrong_audience", "The access token was issued for another resource.");
  }
  if (!isNumber(claims.exp) || !isNumber(claims.iat)) {
    throw new McpAuthError("missing_claim", "The access token's exp or iat claim is missing or invalid.");
  }
  if (claims.exp <= nowS - toleranceS) throw new McpAuthError("expired", "The access token has expired.");
  if (claims.nbf !== undefined && (!isNumber(claims.nbf) || claims.nbf > nowS + toleranceS)) {
    throw new McpAuthError("not_yet_valid", "The access token is not valid yet.");
  }
  for (const name of ["sub", "client_id", "jti"]) {
    if (typeof claims[name] !== "string" || claims[name] === "") {
      throw new McpAuthError("missing_claim", `The access token's ${name} claim is missing or not a string.`);
    }
  }
  if (claims.scope !== undefined && typeof claims.scope !== "string") {
    throw new McpAuthError("missing_claim", "The access token's scope claim is not a string.");
  }
}

/**
 * A verifier of one MCP server's access tokens: signature by the issuer's keys, `typ` at+jwt,
 * `iss`, `aud` = this resource, `exp`, and the scopes required.
 */
export function createAccessTokenVerifier(options: AccessTokenVerifierOptions): AccessTokenVerifier {
  const resource = canonicalResource(options.resource);
  const getKey = keysFrom(options);
  const always = options.requiredScopes ?? [];
  const now = options.now ?? Date.now;
  return {
    async verifyAccessToken(token, requiredScopes = []) {
      const decoded = decodeAccessToken(token);
      let key: KeyObject;
      try {
        const found = await getKey(decoded.header, {
          protected: decoded.headerPart,
          payload: decoded.payloadPart,
          signature: "",
        });
        key = asKeyObject(found);
      } catch (err) {
        throw keyRefusal(err);
      }
      if (!signatureValid(decoded, key)) {
        throw new McpAuthError("bad_signature", "The access token's signature does not verify.");
      }
      const payload = jsonPart(decoded.payloadPart, "payload");
      checkClaims(
        payload,
        options.issuer,
        resource,
        options.clockToleranceSeconds ?? 5,
        Math.floor(now() / 1000),
      );
      // checkClaims made these strings and numbers.
      const claims = payload as JWTPayload & {
        sub: string;
        jti: string;
        exp: number;
        client_id: string;
        scope?: string;
      };
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
        expiresAt: claims.exp,
        resource: new URL(resource),
        extra: { userId: claims.sub, issuer: options.issuer, jti: claims.jti, claims: payload },
      };
    },
  };
}
