/**
 * @foyer/contract: what Foyer's server and its SDKs agree on, written once. The server declares
 * these types as its serializers' return types and the SDKs read them, so a field renamed on one
 * side is a compile error on the other. No runtime dependencies; runs in browsers and Node.
 */
/** Wrappers: deleted objects, paginated lists, counts, the Frontend API envelope, the JWKS. */
export type {
  DeletedObjectJSON,
  FrontendEnvelopeJSON,
  JwkJSON,
  JwksJSON,
  PaginatedResponseJSON,
  TotalCountJSON,
} from "./envelopes.js";
/** The one error catalogue (code → HTTP status and message; docs/errors.md) and the error body. */
export { ERRORS, type ErrorBodyJSON, type ErrorCode, type ErrorEntryJSON } from "./errors.js";
/** Cookie names, the session-token marker and version, and the claims of a session token. */
export {
  BROWSER_BINDING_COOKIE,
  browserBindingCookieName,
  CLIENT_COOKIE,
  prefixedCookieName,
  SESSION_COOKIE,
  SESSION_TOKEN_MARKER,
  SESSION_TOKEN_VERSION,
  type SessionOrganizationClaim,
  type SessionTokenClaims,
} from "./names.js";
/** A user's fresh Atlassian access token, with typed sites (`GET /v1/users/{id}/oauth_access_tokens/oauth_atlassian`). */
export type {
  OAuthAccessTokenErrorJSON,
  OAuthAccessTokenJSON,
  OAuthAccessTokenOkJSON,
  OAuthAccessTokenSiteJSON,
} from "./oauth-access-token.js";
export type { OAuthConsentJSON } from "./oauth-consents.js";
/** Organizations and memberships in Clerk's shapes, with the Atlassian site an organization stands for. */
export type {
  CreateOrganizationMembershipParams,
  CreateOrganizationParams,
  FrontendOrganizationJSON,
  FrontendOrganizationMembershipJSON,
  OrganizationAtlassianSiteJSON,
  OrganizationJSON,
  OrganizationListParams,
  OrganizationMembershipJSON,
  OrganizationMembershipPublicUserDataJSON,
  OrganizationRole,
  UpdateOrganizationMetadataParams,
  UpdateOrganizationParams,
} from "./organizations.js";
/** The publishable-key codec: the server encodes, the SDKs parse. */
export {
  encodePublishableKey,
  type InstanceEnvironment,
  type PublishableKeyInfo,
  parsePublishableKey,
} from "./publishable-key.js";
/** What the SDKs send: request bodies and list parameters. */
export type {
  SessionListParams,
  UpdateUserMetadataParams,
  UpdateUserParams,
  UserListParams,
} from "./requests.js";
/** Secret keys as the Platform API shows them: prefix and last four, the whole key only when allowed. */
export type { SecretKeyJSON } from "./secret-keys.js";
/** Sessions (per audience), the browser's client and the session-token answer. */
export type {
  BackendSessionJSON,
  ClientJSON,
  FrontendSessionJSON,
  SessionActivityJSON,
  SessionStatus,
  SessionTokenJSON,
  SessionWithActivityJSON,
} from "./sessions.js";
/** Users (per audience), email addresses, Atlassian accounts and their sites. */
export type {
  AtlassianSiteJSON,
  AtlassianSiteStatus,
  BackendUserJSON,
  EmailAddressJSON,
  ExternalAccountJSON,
  ExternalAccountStatus,
  FrontendUserJSON,
  ReauthorizationReason,
} from "./users.js";
/** Events, their envelope, and webhook endpoints with their delivery log. */
export {
  type DeletedResourceJSON,
  type ExternalAccountEventDataJSON,
  WEBHOOK_EVENT_TYPES,
  type WebhookAttemptJSON,
  type WebhookEndpointJSON,
  type WebhookEndpointSecretJSON,
  type WebhookEventDataJSON,
  type WebhookEventJSON,
  type WebhookEventType,
} from "./webhooks.js";
