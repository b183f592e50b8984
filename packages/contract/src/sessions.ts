/**
 * Sessions and clients, in Clerk's JSON shapes (times in ms since the epoch). Compare Clerk's
 * `SessionJSON` / `ClientJSON` in `@clerk/backend` (api/resources/JSON.ts).
 */
import type { FrontendUserJSON } from "./users.js";

/** A session's status right now: a lapsed `active` one is served as `expired`. */
export type SessionStatus = "active" | "ended" | "revoked" | "expired";

interface SessionFieldsJSON {
  object: "session";
  id: string;
  status: SessionStatus;
  last_active_at: number;
  /** When the session stops: its maximum lifetime or inactivity timeout, whichever is first. */
  expire_at: number;
  /** Foyer has no separate abandon period: the stored expiry. */
  abandon_at: number;
  /** The session's active organization (`org_…`), also in its tokens' `o` claim; null when none. */
  last_active_organization_id: string | null;
  actor: null;
  created_at: number;
  updated_at: number;
}

/** A session as the Backend API serves it (what `@clerk/backend`'s `Session.fromJSON` reads). */
export interface BackendSessionJSON extends SessionFieldsJSON {
  client_id: string;
  user_id: string;
}

/** A session as the Frontend API serves it, with its user's public fields. */
export interface FrontendSessionJSON extends SessionFieldsJSON {
  /** null only in the answer to ending a session whose user is gone. */
  user: FrontendUserJSON | null;
}

/**
 * The device a session was signed in on, in the shape of Clerk's `SessionActivity`. Summarised
 * from the User-Agent at sign-in; Foyer keeps no IP address, so `ip_address`, `city` and
 * `country` are always null.
 */
export interface SessionActivityJSON {
  object: "session_activity";
  id: string;
  browser_name: string | null;
  browser_version: string | null;
  device_type: string | null;
  is_mobile: boolean;
  ip_address: null;
  city: null;
  country: null;
}

/**
 * One of the signed-in user's sessions, on any device, as `GET <fapi>/v1/me/sessions/active`
 * (live ones) and `GET <fapi>/v1/me/sessions` (ended ones too) list them (Clerk's
 * `SessionWithActivities`). `current` marks the session of the browser asking.
 */
export interface SessionWithActivityJSON extends FrontendSessionJSON {
  latest_activity: SessionActivityJSON;
  current: boolean;
}

/** A browser's client on the Frontend API: its live sessions, newest activity first. */
export interface ClientJSON {
  object: "client";
  id: string;
  sessions: FrontendSessionJSON[];
  session_ids: string[];
  sign_in: null;
  sign_up: null;
  last_active_session_id: string | null;
  created_at: number;
  updated_at: number;
}

/** The answer of `POST <fapi>/v1/client/sessions/{id}/tokens`: a fresh session JWT (60 s). */
export interface SessionTokenJSON {
  object: "token";
  jwt: string;
}
