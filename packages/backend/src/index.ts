/**
 * @foyer/backend: for app servers. Verify Foyer session tokens (networkless with the instance's
 * PEM key, or with its JWKS), authenticate requests in Express, Hono or node:http, and call the
 * Backend API.
 */
export {
  type AuthState,
  authenticateRequest,
  SESSION_COOKIE,
  sessionTokenFrom,
} from "./authenticate-request.js";
export { createFoyerClient, type FoyerClient } from "./client/index.js";
export type { FoyerClientOptions } from "./client/request.js";
export type { SessionListParams } from "./client/sessions.js";
export type * from "./client/types.js";
export type { UpdateUserParams, UserListParams } from "./client/users.js";
export {
  FoyerApiError,
  type FoyerApiErrorEntry,
  type TokenErrorCode,
  TokenVerificationError,
} from "./errors.js";
export { type FoyerExpressRequest, foyerExpress } from "./express.js";
export { type FoyerHonoEnv, foyerHono } from "./hono.js";
export { authenticateNodeRequest } from "./node.js";
export { type PublishableKeyInfo, parsePublishableKey } from "./publishable-key.js";
export {
  DEFAULT_CLOCK_SKEW_MS,
  type SessionTokenClaims,
  type VerifyTokenOptions,
  verifyToken,
} from "./verify-token.js";
