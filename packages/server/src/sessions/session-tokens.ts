import { sha256Hex } from "../crypto/random.js";
import { ApiError } from "../errors/api-error.js";
import type { Instance } from "../instances/instances.js";
import { activeSigningKey } from "../instances/signing-keys.js";
import type { Services } from "../services.js";
import { signSessionJwt } from "./session-jwt.js";
import { sessionIsLive } from "./sessions.js";

/**
 * Mints a session token for session `sessionId` of the client whose cookie is `clientToken`.
 *
 * The happy path is one statement: an UPDATE that touches `last_active_at` only where the session
 * belongs to this client and instance, is active, and is within its maximum lifetime and
 * inactivity timeout, RETURNING the user. Liveness is therefore decided atomically with the
 * touch, and a mint never costs more than one round trip next to the signature. Only when it
 * matches nothing does a second query find out why (and write down `expired`).
 *
 * A deleted user's sessions are deleted with it (foreign key cascade), so they mint nothing.
 */
export async function mintSessionToken(
  svc: Services,
  instance: Instance,
  clientToken: string | undefined,
  sessionId: string,
  azp: string | undefined,
): Promise<{ jwt: string; exp: number }> {
  if (!clientToken || clientToken.length > 200) throw new ApiError("client_not_found");
  const now = svc.now();
  const idle = instance.session_inactivity_timeout_seconds;
  const tokenHash = sha256Hex(clientToken);
  const [touched, key] = await Promise.all([
    svc.db.kysely
      .updateTable("sessions")
      .set({ last_active_at: now, updated_at: now })
      .where("id", "=", sessionId)
      .where("instance_id", "=", instance.id)
      .where("status", "=", "active")
      .where("expire_at", ">", now)
      .$if(idle !== null, (q) => q.where("last_active_at", ">", now - idle! * 1000))
      .where("client_id", "in", (eb) =>
        eb
          .selectFrom("clients")
          .select("id")
          .where("token_hash", "=", tokenHash)
          .where("instance_id", "=", instance.id),
      )
      .returning("user_id")
      .executeTakeFirst(),
    activeSigningKey(svc, instance.id),
  ]);
  if (!touched) await explainRefusal(svc, instance, tokenHash, sessionId, now);
  const { jwt, payload } = signSessionJwt(
    key,
    { iss: instance.frontend_api_url, sub: touched!.user_id, sid: sessionId, azp },
    now,
  );
  return { jwt, exp: payload.exp };
}

/** Why a mint matched nothing; marks a lapsed session `expired` on the way. Always throws. */
async function explainRefusal(
  svc: Services,
  instance: Instance,
  tokenHash: string,
  sessionId: string,
  now: number,
): Promise<never> {
  const row = await svc.db.kysely
    .selectFrom("sessions")
    .innerJoin("clients", "clients.id", "sessions.client_id")
    .selectAll("sessions")
    .select("clients.token_hash")
    .where("sessions.id", "=", sessionId)
    .where("sessions.instance_id", "=", instance.id)
    .executeTakeFirst();
  // Another client's session is indistinguishable from a missing one: ids do not leak.
  if (!row || row.token_hash !== tokenHash) {
    const client = await svc.db.kysely
      .selectFrom("clients")
      .select("id")
      .where("token_hash", "=", tokenHash)
      .where("instance_id", "=", instance.id)
      .executeTakeFirst();
    throw new ApiError(client ? "session_not_found" : "client_not_found");
  }
  if (row.status === "active" && !sessionIsLive(row, instance, now)) {
    await svc.db.kysely
      .updateTable("sessions")
      .set({ status: "expired", ended_at: now, updated_at: now })
      .where("id", "=", sessionId)
      .where("status", "=", "active")
      .execute();
  }
  throw new ApiError("session_inactive");
}
