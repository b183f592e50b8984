/**
 * @foyer/contract: what Foyer's server and its SDKs agree on, written once. The server declares
 * these types as its serializers' return types and the SDKs read them, so a field renamed on one
 * side is a compile error on the other. No runtime dependencies; runs in browsers and Node.
 */
export type {
  DeletedObjectJSON,
  FrontendEnvelopeJSON,
  JwkJSON,
  JwksJSON,
  PaginatedResponseJSON,
  TotalCountJSON,
} from "./envelopes.js";
export { ERRORS, type ErrorBodyJSON, type ErrorCode, type ErrorEntryJSON } from "./errors.js";
export {
  CLIENT_COOKIE,
  SESSION_COOKIE,
  SESSION_TOKEN_MARKER,
  SESSION_TOKEN_VERSION,
  type SessionTokenClaims,
} from "./names.js";
export type { OAuthAccessTokenJSON, OAuthAccessTokenSiteJSON } from "./oauth-access-token.js";
export {
  encodePublishableKey,
  type InstanceEnvironment,
  type PublishableKeyInfo,
  parsePublishableKey,
} from "./publishable-key.js";
export type {
  SessionListParams,
  UpdateUserMetadataParams,
  UpdateUserParams,
  UserListParams,
} from "./requests.js";
export type {
  BackendSessionJSON,
  ClientJSON,
  FrontendSessionJSON,
  SessionStatus,
  SessionTokenJSON,
} from "./sessions.js";
export type {
  AtlassianSiteJSON,
  BackendUserJSON,
  EmailAddressJSON,
  ExternalAccountJSON,
  ExternalAccountStatus,
  FrontendUserJSON,
} from "./users.js";
