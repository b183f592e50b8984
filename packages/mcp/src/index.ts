/**
 * @foyer/mcp: for MCP server authors. Publish the protected resource metadata (RFC 9728), answer
 * with Bearer challenges, verify Foyer's OAuth access tokens (RFC 9068) without a network call
 * per request, and call Jira/Confluence with the user's own Atlassian token.
 */

/** `atlassianFor`'s parts: the site access it gives and the step-up it throws. */
export {
  type AtlassianForOptions,
  AtlassianReconnectRequired,
  type AtlassianSiteAccess,
  type ReconnectReason,
  reconnectUrl,
} from "./atlassian-for.js";
/** Why a token was refused: `code` (RFC 6750), `reason` (which check), `status`. */
export { McpAuthError, type McpAuthErrorCode, type McpAuthFailure } from "./errors.js";
/** The one-object set-up: protection plus `atlassianFor` with the secret key. */
export { createFoyerMcp, type FoyerMcp, type FoyerMcpOptions } from "./foyer-mcp.js";
/** The RFC 9728 document, its well-known URL, and the WWW-Authenticate challenge. */
export {
  type BearerChallenge,
  bearerChallenge,
  canonicalResource,
  type ProtectedResourceMetadata,
  type ProtectedResourceOptions,
  protectedResourceMetadata,
  protectedResourceMetadataUrl,
} from "./metadata.js";
/** Protection without the Backend API: metadata, challenges, `authenticate`, per-tool scopes. */
export {
  type AuthResult,
  type ProtectedResource,
  type ProtectResourceOptions,
  protectResource,
  type Refusal,
  scopesForMessage,
} from "./protect.js";
/** The access-token verifier (the MCP SDK's OAuthTokenVerifier shape). */
export {
  type AccessTokenVerifier,
  type AccessTokenVerifierOptions,
  createAccessTokenVerifier,
  type FoyerAuthInfo,
} from "./verify-access-token.js";
