/**
 * Backend API resources, as JSON (snake_case, Clerk's shapes). Times are milliseconds since the
 * epoch. Fields Foyer adds to Clerk's shapes are marked.
 */

export interface EmailAddress {
  object: "email_address";
  id: string;
  email_address: string;
  verification: { status: "verified" | "unverified"; strategy: string } | null;
  created_at: number;
}

/** One Atlassian site a grant covers (Foyer). */
export interface AtlassianSite {
  id: string;
  url: string;
  name: string;
  scopes: string[];
  avatarUrl?: string;
}

export interface ExternalAccount {
  object: "external_account";
  id: string;
  provider: string;
  provider_user_id: string;
  approved_scopes: string;
  email_address: string;
  first_name: string;
  last_name: string;
  image_url: string;
  username: string | null;
  label: string | null;
  public_metadata: Record<string, unknown>;
  verification: { status: string; strategy: string } | null;
  /** Foyer: `reauthorization_required` once Atlassian stops accepting the grant. */
  status?: string;
  /** Foyer: the Atlassian sites the grant covers. */
  sites?: AtlassianSite[];
  last_added_site_id?: string | null;
}

export interface User {
  object: "user";
  id: string;
  first_name: string | null;
  last_name: string | null;
  username: string | null;
  image_url: string;
  has_image: boolean;
  primary_email_address_id: string | null;
  email_addresses: EmailAddress[];
  external_accounts: ExternalAccount[];
  public_metadata: Record<string, unknown>;
  private_metadata?: Record<string, unknown>;
  unsafe_metadata: Record<string, unknown>;
  last_sign_in_at: number | null;
  created_at: number;
  updated_at: number;
}

export type SessionStatus = "active" | "ended" | "revoked" | "expired";

export interface Session {
  object: "session";
  id: string;
  client_id: string;
  user_id: string;
  status: SessionStatus;
  last_active_at: number;
  /** When the session stops: its maximum lifetime or inactivity timeout, whichever is first. */
  expire_at: number;
  abandon_at: number;
  created_at: number;
  updated_at: number;
}

export interface OAuthAccessToken {
  object?: "oauth_access_token";
  external_account_id: string;
  provider: string;
  token: string;
  scopes?: string[];
  label?: string | null;
  public_metadata?: Record<string, unknown>;
  expires_at?: number | null;
  [field: string]: unknown;
}

export interface DeletedObject {
  object: string;
  id: string;
  deleted: true;
}

export interface Jwks {
  keys: Array<{ kty: "RSA"; n: string; e: string; kid: string; alg: "RS256"; use: "sig" }>;
}

export interface Page<T> {
  data: T[];
  totalCount: number;
}
