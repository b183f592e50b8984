/**
 * @foyer/js: Foyer in the browser. Sign in with Atlassian, read the signed-in user, keep a fresh
 * session token. Also served by Foyer, bundled into one file, at `<public url>/js/foyer.js`.
 */

/** The shared contract's resource and error types, for apps that want the audience-explicit names. */
export type {
  AtlassianSiteJSON,
  ErrorCode,
  FrontendSessionJSON,
  FrontendUserJSON,
  PublishableKeyInfo,
} from "@foyer/contract";
/** The one publishable-key parser (shared with the server and @foyer/backend). */
export { parsePublishableKey } from "@foyer/contract";
/** Words for every error code (the catalogue's messages), e.g. for `?foyer_error=`. */
export { errorMessage } from "./error-words.js";
/** A failed Frontend API call, and the codes it can carry. */
export { FoyerError, type FoyerErrorCode } from "./fapi.js";
/** The browser's Frontend API client and its options (see Foyer's TSDoc for each). */
export {
  type ConnectOptions,
  type ExternalAccount,
  Foyer,
  type FoyerOptions,
  type FoyerState,
  type OAuthConsent,
  type Session,
  type SetActiveOptions,
  type SignInOptions,
  type User,
  type UserSession,
} from "./foyer-client.js";
/** The Frontend API URL a publishable key carries. */
export { frontendApiFromKey } from "./publishable-key.js";
/** Frontend API resources under this SDK's names (`UserJSON` is the browser's view of a user). */
export type {
  ClientJSON,
  EmailAddressJSON,
  ExternalAccountJSON,
  OAuthConsentJSON,
  OrganizationJSON,
  OrganizationMembershipJSON,
  SessionActivityJSON,
  SessionJSON,
  SessionWithActivityJSON,
  UserJSON,
} from "./resources.js";
/** The name of the cookie the SDK keeps the session token in, on the app's own domain. */
export { SESSION_COOKIE } from "./session-cookie.js";
