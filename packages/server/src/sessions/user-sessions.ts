import type { SessionTable } from "../db/schema.js";
import { ApiError } from "../errors/api-error.js";
import { emitSessionEvents } from "../events/event-data.js";
import type { Instance } from "../instances/instances.js";
import type { Services } from "../services.js";
import { liveSessionWhere } from "./session-status.js";

/** The user's live sessions on every device (at most 100), most recently active first. */
export async function activeSessionsOfUser(
  svc: Services,
  instance: Instance,
  userId: string,
): Promise<SessionTable[]> {
  return svc.db.kysely
    .selectFrom("sessions")
    .selectAll()
    .where("instance_id", "=", instance.id)
    .where("user_id", "=", userId)
    .where((eb) => liveSessionWhere(eb, instance, svc.now()))
    .orderBy("last_active_at", "desc")
    .orderBy("id")
    .limit(100)
    .execute();
}

/**
 * The signed-in user ends one of their own sessions, on another device (Clerk's
 * `POST /v1/me/sessions/{id}/revoke`). The UPDATE and the read are both scoped to the user: a
 * session of another user, or of another instance, is `session_not_found`, exactly as one
 * that does not exist, so ids cannot be probed.
 */
export async function revokeOwnSession(
  svc: Services,
  instance: Instance,
  userId: string,
  sessionId: string,
): Promise<SessionTable> {
  const now = svc.now();
  const row = await svc.db.kysely.transaction().execute(async (trx) => {
    const closed = await trx
      .updateTable("sessions")
      .set({ status: "revoked", ended_at: now, updated_at: now })
      .where("id", "=", sessionId)
      .where("instance_id", "=", instance.id)
      .where("user_id", "=", userId)
      .where("status", "=", "active")
      .returningAll()
      .execute();
    // As closeSession (sign-out.ts): only a session this call closed is an event.
    await emitSessionEvents(trx, instance.id, closed, "session.revoked", now);
    return trx
      .selectFrom("sessions")
      .selectAll()
      .where("id", "=", sessionId)
      .where("instance_id", "=", instance.id)
      .where("user_id", "=", userId)
      .executeTakeFirst();
  });
  if (!row) throw new ApiError("session_not_found");
  return row;
}
