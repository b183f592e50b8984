/**
 * Frontend API resources as JSON, under the names this SDK has always exported. The shapes are
 * @foyer/contract's, the same types the server's serializers return.
 */
import type {
  ClientJSON,
  EmailAddressJSON,
  ExternalAccountJSON,
  FrontendEnvelopeJSON,
  FrontendOrganizationJSON,
  FrontendOrganizationMembershipJSON,
  FrontendSessionJSON,
  FrontendUserJSON,
  OAuthConsentJSON,
  SessionActivityJSON,
  SessionWithActivityJSON,
} from "@foyer/contract";

export type {
  ClientJSON,
  EmailAddressJSON,
  ExternalAccountJSON,
  OAuthConsentJSON,
  SessionActivityJSON,
  SessionWithActivityJSON,
};

/** The signed-in user, as the browser sees it (no private_metadata). */
export type UserJSON = FrontendUserJSON;

/** A session of this browser, with its user. */
export type SessionJSON = FrontendSessionJSON;

/** Every Frontend API answer: the resource asked for and the client as it is now. */
export type Envelope<T> = FrontendEnvelopeJSON<T>;

/** An organization as the browser sees it (no private_metadata), e.g. an Atlassian site's. */
export type OrganizationJSON = FrontendOrganizationJSON;

/** One of the signed-in user's organization memberships, with its organization. */
export type OrganizationMembershipJSON = FrontendOrganizationMembershipJSON;
