/**
 * The outbox. An event is one row written with the SAME database handle (the transaction) as the
 * change it reports: if the change rolls back, so does its event, and once it commits the event
 * is durable and the delivery worker (webhook-delivery.ts) will send it, whatever crashes later.
 * Domain code calls the emitters in event-data.ts inside its own transaction; nothing here sends.
 */
import type { WebhookEventDataJSON, WebhookEventJSON, WebhookEventType } from "@foyer/contract";
import type { Kysely } from "kysely";
import { newId } from "../crypto/random.js";
import type { Database } from "../db/schema.js";

let sequence = 0;

/**
 * Event ids sort in the order they were written: the time, then a per-process counter (several
 * events of one transaction share a millisecond), then the random id. Receivers should not rely
 * on order across processes; the log and tests read it.
 */
function eventId(now: number): string {
  sequence = (sequence + 1) % 36 ** 4;
  const time = Math.max(0, Math.floor(now)).toString(36).padStart(9, "0");
  return `evt_${time}${sequence.toString(36).padStart(4, "0")}${newId("").slice(1, 13)}`;
}

/** Writes one event; `db` must be the transaction of the change. Returns the envelope. */
export async function writeEvent(
  db: Kysely<Database>,
  instanceId: string,
  type: WebhookEventType,
  data: WebhookEventDataJSON,
  now: number,
): Promise<WebhookEventJSON> {
  const event: WebhookEventJSON = {
    object: "event",
    id: eventId(now),
    type,
    data,
    timestamp: now,
    instance_id: instanceId,
  };
  await db
    .insertInto("events")
    .values({
      id: event.id,
      instance_id: instanceId,
      type,
      payload: JSON.stringify(event),
      dispatched: 0,
      created_at: now,
    })
    .execute();
  return event;
}

/** An instance's events, newest first (tests and the dashboard). */
export async function listEvents(
  db: Kysely<Database>,
  instanceId: string,
  opts: { limit?: number } = {},
): Promise<WebhookEventJSON[]> {
  const rows = await db
    .selectFrom("events")
    .select("payload")
    .where("instance_id", "=", instanceId)
    .orderBy("id", "desc")
    .limit(opts.limit ?? 100)
    .execute();
  return rows.map((r) => JSON.parse(r.payload) as WebhookEventJSON);
}
