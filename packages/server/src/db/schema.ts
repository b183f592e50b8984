/**
 * Row types of every table, shared by SQLite and PostgreSQL. Conventions that keep one migration
 * set for both: times are integer milliseconds since the epoch (bigint in PostgreSQL, read back
 * as numbers), booleans are 0/1 integers, JSON is text.
 */
import type { Generated } from "kysely";

export interface FoyerMetaTable {
  key: string;
  value: string;
}

export interface ApplicationTable {
  id: string;
  name: string;
  created_at: number;
  updated_at: number;
}

export interface InstanceTable {
  id: string;
  application_id: string;
  environment: "development" | "production";
  /** Where this instance's Frontend API lives; a custom host routes here by Host header. */
  frontend_api_url: string;
  /** Lower-cased host of a custom frontend_api_url, or null for the default path-based URL. */
  frontend_api_host: string | null;
  /** JSON array of exact origins ("https://app.example.com"). */
  allowed_origins: string;
  /** Where users land after sign-in when the flow named no redirect_url. */
  after_sign_in_url: string | null;
  session_max_lifetime_seconds: number;
  /** Null: no inactivity timeout. */
  session_inactivity_timeout_seconds: number | null;
  /** Linking a new Atlassian account needs a sign-in at most this old (re-verification). */
  reverification_max_age_seconds: number;
  /** Bumped by every settings change: the ETag, and the compare-and-swap of `If-Match` saves. */
  version: number;
  /** JSON array of Atlassian cloud ids and site origins; empty: every site may sign in. */
  allowed_atlassian_sites: string;
  /** `auto`: one organization per Atlassian site its members' grants cover. */
  organizations_from_sites: "off" | "auto";
  /** JSON array of {resource, name, scopes}: the resources (RFC 8707) its access tokens may be for. */
  oauth_resources: string;
  /** 1: anyone may register a client (RFC 7591 Dynamic Client Registration). */
  oauth_dynamic_client_registration: number;
  created_at: number;
  updated_at: number;
}

export interface SecretKeyTable {
  id: string;
  instance_id: string;
  /** SHA-256 of the key, for lookup without keeping the key in the clear. */
  key_hash: string;
  /**
   * Development keys only: the key, encrypted, so the dashboard and `npm start` can show it.
   * Null for production keys, shown in full once when created and never kept decryptable.
   */
  key_enc: string | null;
  /** `sk_live_` / `sk_test_` and the key's first characters: what later answers show. Null until backfilled. */
  key_prefix: string | null;
  /** The key's last four characters. Null until backfilled (rows older than migration 013). */
  last4: string | null;
  created_at: number;
}

export interface SigningKeyTable {
  kid: string;
  instance_id: string;
  alg: "RS256";
  public_jwk: string;
  private_key_enc: string;
  created_at: number;
  /** Retired keys still verify (published in JWKS) until retired_at + grace. */
  retired_at: number | null;
}

export interface SocialConnectionTable {
  instance_id: string;
  provider: "oauth_atlassian";
  enabled: number;
  /** 1: usable for sign-up and sign-in; 0: connect-only. */
  authenticatable: number;
  use_custom_credentials: number;
  client_id: string | null;
  client_secret_enc: string | null;
  /** Space-separated, as Atlassian takes them. */
  scopes: string;
  updated_at: number;
  /** Bumped by every settings save: the ETag, and the compare-and-swap of `If-Match` saves. */
  version: number;
  /** What Atlassian last refused about this connection (a ConnectionErrorCode), cleared by a success. */
  last_error_code: string | null;
  /** Atlassian's own error code and the step (`code_exchange: access_denied`), never a secret. */
  last_error_detail: string | null;
  last_error_at: number | null;
}

export interface UserTable {
  id: string;
  instance_id: string;
  first_name: string | null;
  last_name: string | null;
  username: string | null;
  image_url: string | null;
  locale: string | null;
  primary_email_address_id: string | null;
  public_metadata: string;
  private_metadata: string;
  unsafe_metadata: string;
  last_sign_in_at: number | null;
  /**
   * 1 once the operator banned the user (ended sessions, no sign-in, no tokens). Optional only
   * so inserts may leave it to the column's default (0); every selected row has it.
   */
  banned?: number;
  /** 1 while the operator has locked the user (same refusals as a ban); default 0 as above. */
  locked?: number;
  created_at: number;
  updated_at: number;
}

/** Security events counted per instance and kind (events/security-events.ts). */
export interface SecurityEventCountTable {
  instance_id: string;
  kind: string;
  count: number;
  last_at: number;
}

/** One bucket's count in one minute window, summed over every process (migration 011). */
export interface RateLimitWindowTable {
  bucket: string;
  window_start: number;
  count: number;
  expires_at: number;
}

export interface EmailAddressTable {
  id: string;
  instance_id: string;
  user_id: string;
  email_address: string;
  /** 1 only when Atlassian said email_verified: true. */
  verified: number;
  verification_strategy: string | null;
  created_at: number;
}

export type ExternalAccountStatus = "active" | "reauthorization_required";

/** Why a grant needs the user again. */
export type ReauthorizationReason = "revoked" | "idle_expired" | "refresh_lost";

export interface ExternalAccountTable {
  id: string;
  instance_id: string;
  user_id: string;
  provider: "oauth_atlassian";
  /** Atlassian account_id: the only key users are found by. */
  provider_user_id: string;
  email_address: string | null;
  email_verified: number;
  first_name: string | null;
  last_name: string | null;
  username: string | null;
  image_url: string | null;
  /** The /me response as last seen (JSON). */
  profile: string;
  /** Space-separated scopes Atlassian granted. */
  approved_scopes: string;
  /** JSON array of AtlassianSite. */
  sites: string;
  /** Cloud id of the site the latest consent added, when it could be told. */
  last_added_site_id: string | null;
  status: ExternalAccountStatus;
  access_token_enc: string | null;
  access_token_expires_at: number | null;
  refresh_token_enc: string | null;
  /** Bumped on every token write: a compare-and-swap guard so an older token never overwrites a newer one. */
  token_version: number;
  /** Refresh lease: who is refreshing, and until when (crash-safe across processes). */
  refresh_lock_owner: string | null;
  refresh_lock_until: number | null;
  /** Refresh journal: set before a refresh is sent, cleared once its outcome is stored. */
  refresh_intent_at: number | null;
  last_refreshed_at: number | null;
  /** The error code of the last refresh, when it failed (null after a success). */
  last_refresh_error: string | null;
  reauthorization_reason: ReauthorizationReason | null;
  /** Consecutive transient refresh failures (the back-off grows with it). */
  refresh_failures: number;
  created_at: number;
  updated_at: number;
}

export interface ClientTable {
  id: string;
  instance_id: string;
  /** SHA-256 of the __client cookie value. */
  token_hash: string;
  created_at: number;
  updated_at: number;
}

export type SessionStatus = "active" | "ended" | "revoked" | "expired";

export interface SessionTable {
  id: string;
  instance_id: string;
  client_id: string;
  user_id: string;
  status: SessionStatus;
  last_active_at: number;
  /** Absolute end from the instance's maximum lifetime. */
  expire_at: number;
  ended_at: number | null;
  /** The device the session was signed in on, summarised from its User-Agent (migration 018). */
  browser_name: string | null;
  browser_version: string | null;
  /** The operating system ("macOS", "Android"…). */
  device_type: string | null;
  /** 0 or 1 (NOT NULL DEFAULT 0); typed nullable so inserts that predate it need not name it. */
  is_mobile: number | null;
  /**
   * The active organization, named in the session's tokens while the user is a member of it.
   * Optional only so inserts may leave it to the column's default (null).
   */
  active_organization_id?: string | null;
  created_at: number;
  updated_at: number;
}

export interface OAuthTransactionTable {
  /** Also the sign-in id shown to the browser (sia_…). */
  id: string;
  instance_id: string;
  /** SHA-256 of the OAuth state; the state itself is never stored. */
  state_hash: string;
  /** SHA-256 of the browser-binding cookie set when the flow started. */
  browser_binding_hash: string;
  code_verifier_enc: string;
  purpose: "sign_in" | "connect";
  /** For connect/reauthorize: the signed-in user and session that started it. */
  user_id: string | null;
  session_id: string | null;
  redirect_url: string | null;
  scopes: string;
  /** The redirect_uri sent at authorize, resent byte for byte at token exchange. */
  redirect_uri: string;
  status: "pending" | "complete" | "failed";
  error_code: string | null;
  created_user_session_id: string | null;
  expires_at: number;
  consumed_at: number | null;
  created_at: number;
}

/** A signed-in dashboard operator. The cookie value is never stored, only its SHA-256. */
export interface DashboardSessionTable {
  id_hash: string;
  created_at: number;
  expires_at: number;
  /** SHA-256 of the platform token the session was opened with; another token ends it. */
  platform_token_hash: string | null;
}

/** The outbox (events/outbox.ts): one row per event, the envelope as sent. */
export interface EventTable {
  id: string;
  instance_id: string;
  type: string;
  /** The whole envelope, JSON, exactly as every endpoint receives it. */
  payload: string;
  /** 1 once the delivery worker made this event's per-endpoint messages. */
  dispatched: number;
  created_at: number;
}

export interface WebhookEndpointTable {
  id: string;
  instance_id: string;
  url: string;
  description: string;
  /** JSON array of event types; empty: every type. */
  event_types: string;
  enabled: number;
  /** Why Foyer disabled it (failing for days), or null. */
  disabled_reason: string | null;
  /** The whsec_ secret, encrypted (AAD: webhook_endpoints:<instance>:<id>:secret). */
  secret_enc: string;
  /** The secret before the last rotation, still signing until previous_secret_until. */
  previous_secret_enc: string | null;
  previous_secret_until: number | null;
  /** Start of the current run of failed attempts, null after a success. */
  failing_since: number | null;
  created_at: number;
  updated_at: number;
}

export type WebhookMessageStatus = "pending" | "delivered" | "failed";

export interface WebhookMessageTable {
  id: string;
  instance_id: string;
  endpoint_id: string;
  event_id: string;
  status: WebhookMessageStatus;
  attempt_count: number;
  /** When the next attempt is due; null once delivered or failed. */
  next_attempt_at: number | null;
  /** Who is attempting it now, and until when (a crashed worker's claim runs out). */
  lease_owner: string | null;
  lease_until: number | null;
  last_attempt_at: number | null;
  last_status_code: number | null;
  created_at: number;
  updated_at: number;
}

export interface WebhookAttemptTable {
  id: string;
  instance_id: string;
  endpoint_id: string;
  message_id: string;
  event_id: string;
  attempted_at: number;
  /** Null when no HTTP answer came (refused address, timeout, connection error). */
  status_code: number | null;
  duration_ms: number;
  /** The receiver's answer, truncated. */
  response_body: string | null;
  error: string | null;
  trigger: "scheduled" | "manual" | "test";
}

/** An organization (Clerk's model); a site organization also names its Atlassian site. */
export interface OrganizationTable {
  id: string;
  instance_id: string;
  name: string;
  slug: string;
  image_url: string | null;
  /** 0: no limit. */
  max_allowed_memberships: number;
  admin_delete_enabled: number;
  public_metadata: string;
  private_metadata: string;
  created_by: string | null;
  /** The site's cloud id, unique per instance: what binds the organization to the site. */
  atlassian_cloud_id: string | null;
  atlassian_site_url: string | null;
  atlassian_site_name: string | null;
  atlassian_site_avatar_url: string | null;
  created_at: number;
  updated_at: number;
}

export interface OrganizationMembershipTable {
  id: string;
  instance_id: string;
  organization_id: string;
  user_id: string;
  role: "org:admin" | "org:member";
  /** `atlassian_site`: made by site access, ended when it is lost; `api`: only the API ends it. */
  source: "api" | "atlassian_site";
  public_metadata: string;
  private_metadata: string;
  created_at: number;
  updated_at: number;
}

/** An organization's uploaded logo (one at most); a new upload is a new row with a new id. */
export interface OrganizationLogoTable {
  id: string;
  instance_id: string;
  organization_id: string;
  /** The sniffed type (image/png, image/jpeg, image/gif, image/webp), never the client's claim. */
  content_type: string;
  byte_size: number;
  data_base64: string;
  uploader_user_id: string | null;
  created_at: number;
}

/** An instance whose existing users' sites are still being bound to organizations. */
export interface SiteOrganizationBackfillTable {
  instance_id: string;
  /** The last user id whose sites are bound ('' before the first batch); users go in id order. */
  after_user_id: string;
  users_done: number;
  created_at: number;
  updated_at: number;
}

/** What oidc-provider stores, keyed by the SHA-256 of its id (codes and tokens are bearer secrets). */
export interface OAuthServerPayloadTable {
  instance_id: string;
  model: string;
  id_hash: string;
  payload_json: string;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  /** Grant rows: the user and the client it is for (a user's approvals). */
  account_id: string | null;
  client_id: string | null;
  expires_at: number | null;
  consumed_at: number | null;
  created_at: number;
}

/** The authorization server's signing key of an instance (never a session signing key). */
export interface OAuthServerKeyTable {
  kid: string;
  instance_id: string;
  alg: "ES256";
  public_jwk: string;
  private_jwk_enc: string;
  created_at: number;
}

/** A pre-registered OAuth client of an instance's authorization server. */
export interface OAuthApplicationTable {
  id: string;
  instance_id: string;
  client_id: string;
  name: string;
  public: number;
  /** SHA-256 hex of the client secret; null for public clients. */
  client_secret_hash: string | null;
  /** JSON array of exact redirect URIs. */
  redirect_uris: string;
  /** Space-separated scopes the client may ask for. */
  scopes: string;
  created_at: number;
  updated_at: number;
}

export interface Database {
  foyer_meta: FoyerMetaTable;
  applications: ApplicationTable;
  instances: InstanceTable;
  secret_keys: SecretKeyTable;
  signing_keys: SigningKeyTable;
  social_connections: SocialConnectionTable;
  users: UserTable;
  email_addresses: EmailAddressTable;
  external_accounts: ExternalAccountTable;
  clients: ClientTable;
  sessions: SessionTable;
  oauth_transactions: OAuthTransactionTable;
  dashboard_sessions: DashboardSessionTable;
  security_event_counts: SecurityEventCountTable;
  rate_limit_windows: RateLimitWindowTable;
  events: EventTable;
  webhook_endpoints: WebhookEndpointTable;
  webhook_messages: WebhookMessageTable;
  webhook_attempts: WebhookAttemptTable;
  organizations: OrganizationTable;
  organization_memberships: OrganizationMembershipTable;
  organization_logos: OrganizationLogoTable;
  site_organization_backfills: SiteOrganizationBackfillTable;
  oauth_server_payloads: OAuthServerPayloadTable;
  oauth_server_keys: OAuthServerKeyTable;
  oauth_applications: OAuthApplicationTable;
}

export type { Generated };
