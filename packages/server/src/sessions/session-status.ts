import type { ExpressionBuilder } from "kysely";
import type { Database, SessionStatus, SessionTable } from "../db/schema.js";
import type { Instance } from "../instances/instances.js";

/**
 * The liveness rule, written once: a session may still mint tokens while it is `active`, within
 * its maximum lifetime and within the instance's inactivity timeout. `liveSessionWhere` is the
 * same rule as SQL, for queries that filter on it (the mint's single UPDATE keeps its own
 * prepared form of it, in session-tokens.ts, for speed).
 */
export function sessionIsLive(session: SessionTable, instance: Instance, now: number): boolean {
  if (session.status !== "active") return false;
  if (now >= session.expire_at) return false;
  const idle = instance.session_inactivity_timeout_seconds;
  if (idle !== null && now - session.last_active_at >= idle * 1000) return false;
  return true;
}

/** `sessionIsLive` as a WHERE condition on the sessions table. */
export function liveSessionWhere(
  eb: ExpressionBuilder<Database, "sessions">,
  instance: Instance,
  now: number,
) {
  const idle = instance.session_inactivity_timeout_seconds;
  return eb.and([
    eb("status", "=", "active"),
    eb("expire_at", ">", now),
    ...(idle !== null ? [eb("last_active_at", ">", now - idle * 1000)] : []),
  ]);
}

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
