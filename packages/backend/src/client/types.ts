/**
 * Backend API resources under the names this SDK exports. The shapes are @foyer/contract's: the
 * same types the server's serializers return, so the SDK cannot drift from what the server sends.
 */
import type {
  AtlassianSiteJSON,
  BackendSessionJSON,
  BackendUserJSON,
  DeletedObjectJSON,
  EmailAddressJSON,
  ExternalAccountJSON,
  JwksJSON,
  OAuthAccessTokenJSON,
  OAuthAccessTokenSiteJSON,
  OrganizationJSON,
  OrganizationMembershipJSON,
  OrganizationRole,
  SessionStatus,
} from "@foyer/contract";

export type { OrganizationRole, SessionStatus };

/** A user's email address (Clerk's EmailAddress JSON). */
export type EmailAddress = EmailAddressJSON;
/** One Atlassian site a grant covers (Foyer). */
export type AtlassianSite = AtlassianSiteJSON;
/** A connected Atlassian account; never carries a token. */
export type ExternalAccount = ExternalAccountJSON;
/** A user as the Backend API serves it, private_metadata included. */
export type User = BackendUserJSON;
/** A session as the Backend API serves it. */
export type Session = BackendSessionJSON;
/** One fresh Atlassian access token of a user, with its scopes and typed sites. */
export type OAuthAccessToken = OAuthAccessTokenJSON;
/** A site of an access token, with the API base URLs to call with it. */
export type OAuthAccessTokenSite = OAuthAccessTokenSiteJSON;
/** An organization (Clerk's shape), with the Atlassian site a site organization stands for. */
export type Organization = OrganizationJSON;
/** A user's membership of an organization, with the organization and the member's public data. */
export type OrganizationMembership = OrganizationMembershipJSON;
/** The answer of a DELETE. */
export type DeletedObject = DeletedObjectJSON;
/** An instance's JWK Set. */
export type Jwks = JwksJSON;

/** One page of a list: the items and the total count across every page. */
export interface Page<T> {
  data: T[];
  totalCount: number;
}
