import { randomToken, sha256Hex } from "../crypto/random.js";
import type { SessionStatus, SessionTable } from "../db/schema.js";
import { ApiError } from "../errors/api-error.js";
import { emitSessionEvents } from "../events/event-data.js";
import type { Instance } from "../instances/instances.js";
import type { Services } from "../services.js";

/**
 * Ends sessions. Every path that issues tokens (mintSessionToken) requires status `active`, so
 * once this commits no new token is minted; tokens already out die at their `exp` (≤ 60 s).
 */
async function closeSession(
  svc: Services,
  instance: Instance,
  sessionId: string,
  status: Extract<SessionStatus, "ended" | "revoked">,
  clientId?: string,
): Promise<SessionTable> {
  const now = svc.now();
  const row = await svc.db.kysely.transaction().execute(async (trx) => {
    const closed = await trx
      .updateTable("sessions")
      .set({ status, ended_at: now, updated_at: now })
      .where("id", "=", sessionId)
      .where("instance_id", "=", instance.id)
      .$if(clientId !== undefined, (q) => q.where("client_id", "=", clientId!))
      .where("status", "=", "active")
      .returningAll()
      .execute();
    // Only a session this call closed is an event: closing a closed one again changes nothing.
    await emitSessionEvents(trx, instance.id, closed, `session.${status}`, now);
    return trx
      .selectFrom("sessions")
      .selectAll()
      .where("id", "=", sessionId)
      .where("instance_id", "=", instance.id)
      .$if(clientId !== undefined, (q) => q.where("client_id", "=", clientId!))
      .executeTakeFirst();
  });
  if (!row) throw new ApiError("session_not_found");
  return row;
}

/** Sign-out of one session by its own browser client (Frontend API). */
export function endSession(svc: Services, instance: Instance, clientId: string, sessionId: string) {
  return closeSession(svc, instance, sessionId, "ended", clientId);
}

/** Revocation by the app's backend (Backend API); works on any session of the instance. */
export function revokeSession(svc: Services, instance: Instance, sessionId: string) {
  return closeSession(svc, instance, sessionId, "revoked");
}

/**
 * Sign-out of every session of a client. The client's cookie value is also replaced by an unknown
 * random hash, so a copy of the old cookie (if one leaked) finds nothing afterwards.
 */
export async function signOutClient(svc: Services, instance: Instance, clientId: string): Promise<void> {
  const now = svc.now();
  await svc.db.kysely.transaction().execute(async (trx) => {
    const ended = await trx
      .updateTable("sessions")
      .set({ status: "ended", ended_at: now, updated_at: now })
      .where("client_id", "=", clientId)
      .where("instance_id", "=", instance.id)
      .where("status", "=", "active")
      .returningAll()
      .execute();
    await emitSessionEvents(trx, instance.id, ended, "session.ended", now);
    await trx
      .updateTable("clients")
      .set({ token_hash: sha256Hex(randomToken(32)), updated_at: now })
      .where("id", "=", clientId)
      .where("instance_id", "=", instance.id)
      .execute();
  });
}
