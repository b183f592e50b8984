import type { ErrorCode } from "./errors.js";
/**
 * Users and what hangs off them, as the Backend and Frontend APIs serve them: Clerk's JSON
 * shapes (snake_case; times in milliseconds since the epoch) plus Foyer's Atlassian fields,
 * marked "Foyer". Compare Clerk's `UserJSON` in `@clerk/backend` (api/resources/JSON.ts).
 */

/** One Atlassian site (cloud) an Atlassian grant covers (Foyer). */
export interface AtlassianSiteJSON {
  /** The cloud id: the `{cloudid}` of `https://api.atlassian.com/ex/jira/{cloudid}/…`. */
  id: string;
  /** The site's own URL, e.g. `https://acme.atlassian.net` (for links; not for API calls). */
  url: string;
  name: string;
  /** The scopes the grant holds on this site. */
  scopes: string[];
  avatar_url: string | null;
  /**
   * `lost` once Atlassian's accessible-resources stops listing the site (the user lost access,
   * or the app was uninstalled there); it comes back to `accessible` when the access does.
   */
  status: AtlassianSiteStatus;
  /** When the site was first seen missing (ms); null while accessible. */
  lost_at: number | null;
}

export type AtlassianSiteStatus = "accessible" | "lost";

/** A user's email address. Foyer only has the ones Atlassian shared. */
export interface EmailAddressJSON {
  object: "email_address";
  id: string;
  email_address: string;
  /** `verified` only when Atlassian said the address is verified. */
  verification: { status: "verified" | "unverified"; strategy: string };
  linked_to: Array<{ type: string; id: string }>;
  created_at: number;
}

/** `reauthorization_required` once Atlassian stops accepting the grant (Foyer). */
export type ExternalAccountStatus = "active" | "reauthorization_required";

/**
 * Why a grant needs the user again: Atlassian refused it (`revoked`: the user revoked the app,
 * changed their password, or the grant was otherwise ended), it went unused for Atlassian's 90
 * days (`idle_expired`), or a refresh's answer was lost and could not be retried within
 * Atlassian's reuse leeway (`refresh_lost`).
 */
export type ReauthorizationReason = "revoked" | "idle_expired" | "refresh_lost";

/** A connected Atlassian account. Never carries a token (ask the Backend API's oauth_access_tokens). */
export interface ExternalAccountJSON {
  object: "external_account";
  id: string;
  provider: "oauth_atlassian";
  identification_id: string;
  /** The Atlassian `account_id`. */
  provider_user_id: string;
  /** Space-separated, as Atlassian grants them. */
  approved_scopes: string;
  email_address: string;
  first_name: string;
  last_name: string;
  image_url: string;
  username: string | null;
  /** The name of the site the latest consent added, else of the first site. */
  label: string | null;
  public_metadata: Record<string, unknown>;
  verification: { status: "verified"; strategy: string; attempts: null; expire_at: null };
  /** Foyer. */
  status: ExternalAccountStatus;
  /** Foyer: every site the grant covers. */
  sites: AtlassianSiteJSON[];
  /** Foyer: the cloud id of the site the latest consent added, when Foyer could tell. */
  last_added_site_id: string | null;
  /** Foyer: when the stored Atlassian access token expires (ms), or null when there is none. */
  access_token_expires_at: number | null;
  /** Foyer: why the grant needs the user again; null while `status` is `active`. */
  reauthorization_reason: ReauthorizationReason | null;
  /** Foyer: when Foyer last refreshed the grant (ms; a consent counts), or null. */
  last_refreshed_at: number | null;
  /** Foyer: the error code of the last refresh when it failed; null after a success. */
  last_refresh_error: ErrorCode | null;
  created_at: number;
  updated_at: number;
}

/** The fields a user has for every audience. */
interface UserFieldsJSON {
  object: "user";
  id: string;
  first_name: string | null;
  last_name: string | null;
  username: string | null;
  image_url: string;
  has_image: boolean;
  primary_email_address_id: string | null;
  email_addresses: EmailAddressJSON[];
  external_accounts: ExternalAccountJSON[];
  public_metadata: Record<string, unknown>;
  unsafe_metadata: Record<string, unknown>;
  locale: string | null;
  last_sign_in_at: number | null;
  /** The operator banned the user: every session ended, no sign-in, no token until unbanned. */
  banned: boolean;
  /** The operator locked the user: like a ban, meant to be temporary (Clerk's lock). */
  locked: boolean;
  created_at: number;
  updated_at: number;
}

/** A user as the Backend API (secret key) serves it: with private_metadata. */
export interface BackendUserJSON extends UserFieldsJSON {
  private_metadata: Record<string, unknown>;
}

/** A user as the Frontend API (the browser) sees it: never private_metadata. */
export interface FrontendUserJSON extends UserFieldsJSON {
  private_metadata?: never;
}
