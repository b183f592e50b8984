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
  created_at: number;
  updated_at: number;
}

export interface SecretKeyTable {
  id: string;
  instance_id: string;
  /** SHA-256 of the key, for lookup without keeping the key in the clear. */
  key_hash: string;
  /** The key, encrypted, so the dashboard can reveal it. */
  key_enc: string;
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

export interface Database {
  foyer_meta: FoyerMetaTable;
  applications: ApplicationTable;
  instances: InstanceTable;
  secret_keys: SecretKeyTable;
  signing_keys: SigningKeyTable;
}

export type { Generated };
