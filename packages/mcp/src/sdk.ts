/**
 * `@foyer/mcp/sdk`: the glue to the official MCP TypeScript SDK (`@modelcontextprotocol/sdk`, an
 * optional peer dependency), kept apart so the core needs no SDK.
 */
import { randomUUID } from "node:crypto";
import {
  InsufficientScopeError,
  InvalidTokenError,
  ServerError,
} from "@modelcontextprotocol/sdk/server/auth/errors.js";
import type { OAuthTokenVerifier } from "@modelcontextprotocol/sdk/server/auth/provider.js";
import { UrlElicitationRequiredError } from "@modelcontextprotocol/sdk/types.js";
import { AtlassianReconnectRequired } from "./atlassian-for.js";
import { McpAuthError } from "./errors.js";
import type { AccessTokenVerifier } from "./verify-access-token.js";

/**
 * The verifier as the SDK's `OAuthTokenVerifier`, its refusals as the SDK's OAuth errors, so
 * `requireBearerAuth({ verifier: sdkTokenVerifier(v), … })` answers 401/403 with its challenge.
 */
export function sdkTokenVerifier(verifier: AccessTokenVerifier): OAuthTokenVerifier {
  return {
    async verifyAccessToken(token) {
      try {
        return await verifier.verifyAccessToken(token);
      } catch (err) {
        if (!(err instanceof McpAuthError)) throw err;
        if (err.code === "insufficient_scope") throw new InsufficientScopeError(err.message);
        if (err.status === 503) throw new ServerError(err.message);
        throw new InvalidTokenError(err.message);
      }
    },
  };
}

/**
 * A tool's AtlassianReconnectRequired as the MCP URL-mode elicitation error (-32042, spec
 * 2025-11-25): the SDK's McpServer passes it to the client unwrapped, and the client shows the
 * URL to the user. Any other error comes back as it was.
 */
export function toMcpError(err: unknown): unknown {
  if (!(err instanceof AtlassianReconnectRequired)) return err;
  return new UrlElicitationRequiredError(
    [{ mode: "url", message: err.message, url: err.url, elicitationId: randomUUID() }],
    err.message,
  );
}
