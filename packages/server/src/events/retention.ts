/**
 * How long the outbox and the delivery log are kept. Events (with their messages and attempts,
 * which cascade) go RETENTION_MS after they were written, once nothing about them is still to
 * be sent: an event not yet dispatched, or with a message still pending, stays. Without this the
 * outbox of a busy instance grows by every sign-in, forever.
 */
import type { Services } from "../services.js";

export const RETENTION_MS = 30 * 24 * 3_600_000;
const BATCH = 1_000;

/** Deletes up to BATCH expired events; returns how many. */
export async function pruneEvents(svc: Services, retentionMs = RETENTION_MS): Promise<number> {
  const cutoff = svc.now() - retentionMs;
  const db = svc.db.kysely;
  const old = await db
    .selectFrom("events")
    .select("id")
    .where("created_at", "<", cutoff)
    .where("dispatched", "=", 1)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("webhook_messages")
            .select("webhook_messages.id")
            .whereRef("webhook_messages.event_id", "=", "events.id")
            .where("webhook_messages.status", "=", "pending"),
        ),
      ),
    )
    .orderBy("created_at", "asc")
    .limit(BATCH)
    .execute();
  if (old.length === 0) return 0;
  const res = await db
    .deleteFrom("events")
    .where(
      "id",
      "in",
      old.map((r) => r.id),
    )
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
