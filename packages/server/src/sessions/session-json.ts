import type {
  BackendSessionJSON,
  FrontendSessionJSON,
  FrontendUserJSON,
  SessionWithActivityJSON,
} from "@foyer/contract";
import type { SessionTable } from "../db/schema.js";
import type { Instance } from "../instances/instances.js";
import { effectiveStatus, sessionEndsAt } from "./session-status.js";

/**
 * A session in Clerk's Backend API shape (what @clerk/backend's `Session.fromJSON` reads).
 * `abandon_at` is when the session stops being usable: Foyer has no separate abandon period.
 */
export function backendSessionJson(
  session: SessionTable,
  instance: Instance,
  now: number,
): BackendSessionJSON {
  return {
    object: "session",
    id: session.id,
    client_id: session.client_id,
    user_id: session.user_id,
    status: effectiveStatus(session, instance, now),
    last_active_at: session.last_active_at,
    expire_at: sessionEndsAt(session, instance),
    abandon_at: session.expire_at,
    last_active_organization_id: session.active_organization_id ?? null,
    actor: null,
    created_at: session.created_at,
    updated_at: session.updated_at,
  };
}

/** A session in Clerk's Frontend API shape, with its user (public fields only). */
export function frontendSessionJson(
  session: SessionTable,
  instance: Instance,
  now: number,
  user: FrontendUserJSON | null,
): FrontendSessionJSON {
  return {
    object: "session",
    id: session.id,
    status: effectiveStatus(session, instance, now),
    expire_at: sessionEndsAt(session, instance),
    abandon_at: session.expire_at,
    last_active_at: session.last_active_at,
    last_active_organization_id: session.active_organization_id ?? null,
    actor: null,
    user,
    created_at: session.created_at,
    updated_at: session.updated_at,
  };
}

/** One of the user's sessions with the device it was signed in on (Clerk's `SessionWithActivities`). */
export function sessionWithActivityJson(
  session: SessionTable,
  instance: Instance,
  now: number,
  user: FrontendUserJSON | null,
  current: boolean,
): SessionWithActivityJSON {
  return {
    ...frontendSessionJson(session, instance, now, user),
    latest_activity: {
      object: "session_activity",
      // Foyer records one activity per session, at sign-in: it takes the session's id.
      id: `sess_activity_${session.id.replace(/^sess_/, "")}`,
      browser_name: session.browser_name,
      browser_version: session.browser_version,
      device_type: session.device_type,
      is_mobile: session.is_mobile === 1,
      ip_address: null,
      city: null,
      country: null,
    },
    current,
  };
}
