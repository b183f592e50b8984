/**
 * @foyer/backend: for app servers. Verify Foyer session tokens (networkless with the instance's
 * PEM key, or with its JWKS), authenticate requests in Express, Hono or node:http, and call the
 * Backend API.
 */

/** The shared contract's types under their audience-explicit names, and the error catalogue's codes. */
/** Verifying webhook deliveries (Standard Webhooks; `webhook-*` or `svix-*` headers) and the event types. */
export type {
  BackendSessionJSON,
  BackendUserJSON,
  ErrorCode,
  OAuthAccessTokenJSON,
  OAuthAccessTokenSiteJSON,
  WebhookEventJSON,
  WebhookEventType,
} from "@foyer/contract";
/**
 * `createFoyerClient(…).atlassian.fetch(userId, { cloudId, product, path })`: a Jira or
 * Confluence call with the user's Atlassian token, on the account that reaches that site, with one
 * forced refresh on a refused token and bounded Retry-After waits; its result and errors.
 */
export {
  AtlassianError,
  type AtlassianErrorCode,
} from "./atlassian/errors.js";
export type {
  AtlassianFetchOptions,
  AtlassianFetchRequest,
  AtlassianFetchResult,
  AtlassianRetries,
} from "./atlassian/fetch.js";
/** Jira/Confluence rate-limit headers (`X-RateLimit-*`, `RateLimit-Reason`, `Beta-RateLimit*`, `Retry-After`), parsed. */
export {
  type AtlassianRateLimit,
  type AtlassianRateLimitItem,
  parseRateLimit,
} from "./atlassian/rate-limit.js";
/** Which account's token reaches a site, and whether a Confluence 404/403 hides a dead token. */
export {
  type AtlassianProduct,
  maskedDeadToken,
  type TokenForSite,
  tokenForSite,
} from "./atlassian/token-for-site.js";
/**
 * Who sent a request: `authenticateRequest` for web-standard Requests, `sessionTokenFrom` to read
 * the token (Bearer header, else the `__session` cookie) yourself.
 */
export {
  type AuthState,
  authenticateRequest,
  SESSION_COOKIE,
  sessionTokenFrom,
} from "./authenticate-request.js";
/** A typed client of the Backend API (users, sessions, organizations, Atlassian tokens, JWKS), keyed by a secret key. */
export { createFoyerClient, type FoyerClient } from "./client/index.js";
/** Bodies and query parameters of `organizations.*`. */
export type {
  CreateOrganizationMembershipParams,
  CreateOrganizationParams,
  OrganizationListParams,
  UpdateOrganizationMetadataParams,
  UpdateOrganizationParams,
} from "./client/organizations.js";
/** Options of createFoyerClient. */
export type { FoyerClientOptions } from "./client/request.js";
/** Query parameters of `sessions.getSessionList`. */
export type { SessionListParams } from "./client/sessions.js";
/**
 * The Backend API's resources under this SDK's names (`User`, `Session`, `OAuthAccessToken`…),
 * all @foyer/contract's shapes.
 */
export type * from "./client/types.js";
/** Bodies and query parameters of `users.updateUser`, `users.updateUserMetadata` and `users.getUserList`. */
export type { UpdateUserMetadataParams, UpdateUserParams, UserListParams } from "./client/users.js";
/**
 * The two errors this SDK throws: `FoyerApiError` from the Backend API client (code from the
 * error catalogue), `TokenVerificationError` from verifyToken (why a token was refused).
 */
export {
  FoyerApiError,
  type FoyerApiErrorCode,
  type FoyerApiErrorEntry,
  type TokenErrorCode,
  TokenVerificationError,
} from "./errors.js";
/** Express middleware: `req.auth` is the AuthState. */
export { type FoyerExpressRequest, foyerExpress } from "./express.js";
/** Hono middleware: `c.get("auth")` is the AuthState. */
export { type FoyerHonoEnv, foyerHono } from "./hono.js";
/** authenticateRequest for node:http's IncomingMessage. */
export { authenticateNodeRequest } from "./node.js";
/** The Frontend API URL and environment a publishable key carries (the contract's one codec). */
export { type PublishableKeyInfo, parsePublishableKey } from "./publishable-key.js";
/**
 * Verifies a session token without a network call when given the PEM key
 * ({@link https://www.rfc-editor.org/rfc/rfc8725 RFC 8725} practices), returning its claims.
 */
export {
  DEFAULT_CLOCK_SKEW_MS,
  type SessionTokenClaims,
  type VerifyTokenOptions,
  verifyToken,
} from "./verify-token.js";
export {
  type VerifyWebhookOptions,
  verifyWebhook,
  WEBHOOK_TOLERANCE_SECONDS,
  WebhookVerificationError,
  type WebhookVerificationErrorCode,
} from "./verify-webhook.js";
