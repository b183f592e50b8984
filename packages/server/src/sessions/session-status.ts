import type { SessionStatus, SessionTable } from "../db/schema.js";
import type { Instance } from "../instances/instances.js";
import { sessionIsLive } from "./sessions.js";

/**
 * The status a session has right now. A row still marked `active` whose maximum lifetime or
 * inactivity timeout has passed is `expired` even before a token mint writes that down, so reads
 * (which must not change state) report the truth.
 */
export function effectiveStatus(session: SessionTable, instance: Instance, now: number): SessionStatus {
  if (session.status !== "active") return session.status;
  return sessionIsLive(session, instance, now) ? "active" : "expired";
}

/** Earliest time the inactivity timeout ends the session, or its absolute end if sooner. */
export function sessionEndsAt(session: SessionTable, instance: Instance): number {
  const idle = instance.session_inactivity_timeout_seconds;
  if (idle === null) return session.expire_at;
  return Math.min(session.expire_at, session.last_active_at + idle * 1000);
}
