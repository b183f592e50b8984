/** What the SDKs send to the Backend API: request bodies and query parameters. */
import type { SessionStatus } from "./sessions.js";

/**
 * `PATCH /v1/users/{id}`: replaces the fields given; null clears a name or the username.
 * The server's schema accepts exactly these fields (a compile-time check holds it to this type).
 */
export interface UpdateUserParams {
  first_name?: string | null;
  last_name?: string | null;
  /** Trimmed; 1–64 letters, digits, `_`, `-` or `.`; unique in the instance (case-insensitive). */
  username?: string | null;
  public_metadata?: Record<string, unknown>;
  private_metadata?: Record<string, unknown>;
  unsafe_metadata?: Record<string, unknown>;
}

/** `PATCH /v1/users/{id}/metadata`: deep-merged into what is stored; a null value removes its key. */
export interface UpdateUserMetadataParams {
  public_metadata?: Record<string, unknown>;
  private_metadata?: Record<string, unknown>;
  unsafe_metadata?: Record<string, unknown>;
}

/** `GET /v1/users` and (without paging and order) `GET /v1/users/count`. */
export interface UserListParams {
  limit?: number;
  offset?: number;
  /** A field, optionally prefixed with + or -, e.g. "-created_at". */
  order_by?: string;
  /** A substring of a name, username, email, user id or Atlassian account id. */
  query?: string;
  user_id?: string[];
  email_address?: string[];
  /**
   * `true`: only users with an Atlassian account that needs re-authorization (its grant died:
   * revoked, expired, refresh lost), i.e. users who must reconnect Atlassian. `false`: the others.
   */
  needs_reconnect?: boolean;
}

/** `GET /v1/sessions`. */
export interface SessionListParams {
  user_id?: string;
  client_id?: string;
  status?: SessionStatus;
  limit?: number;
  offset?: number;
}
