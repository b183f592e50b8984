/** Frontend API resources as JSON (Clerk's shapes). Times are ms since the epoch. */

export interface EmailAddressJSON {
  object: "email_address";
  id: string;
  email_address: string;
  verification: { status: string; strategy: string } | null;
}

export interface ExternalAccountJSON {
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
  status?: string;
  sites?: Array<{ id: string; url: string; name: string; scopes: string[]; avatarUrl?: string }>;
}

export interface UserJSON {
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
  last_sign_in_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface SessionJSON {
  object: "session";
  id: string;
  status: "active" | "ended" | "revoked" | "expired";
  expire_at: number;
  last_active_at: number;
  user: UserJSON;
  created_at: number;
  updated_at: number;
}

export interface ClientJSON {
  object: "client";
  id: string;
  sessions: SessionJSON[];
  last_active_session_id: string | null;
  created_at: number;
  updated_at: number;
}

/** Every Frontend API answer: the resource asked for and the client as it is now. */
export interface Envelope<T> {
  response: T;
  client: ClientJSON | null;
}
