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
    id: newId("evt"),
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
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(opts.limit ?? 100)
    .execute();
  return rows.map((r) => JSON.parse(r.payload) as WebhookEventJSON);
}
