/** @foyer/js: Foyer in the browser. Zero dependencies; also served by Foyer at /js/foyer.js. */
export { FoyerError } from "./fapi.js";
export {
  type ConnectOptions,
  Foyer,
  type FoyerOptions,
  type FoyerState,
  type Session,
  type SignInOptions,
} from "./foyer-client.js";
export { frontendApiFromKey } from "./publishable-key.js";
export type {
  ClientJSON,
  EmailAddressJSON,
  ExternalAccountJSON,
  SessionJSON,
  UserJSON,
} from "./resources.js";
export { SESSION_COOKIE } from "./session-cookie.js";
