/**
 * The delivery log and what an operator does with it: read the attempts, send a test event,
 * replay one message, replay everything that failed since a time.
 */
import type { WebhookAttemptJSON } from "@foyer/contract";
import type { WebhookAttemptTable } from "../db/schema.js";
import { ApiError } from "../errors/api-error.js";
import type { Services } from "../services.js";
import { writeEvent } from "./outbox.js";
import { newMessage } from "./webhook-delivery.js";
import { getEndpoint } from "./webhook-endpoints.js";

export function attemptJson(row: WebhookAttemptTable): WebhookAttemptJSON {
  return {
    object: "webhook_attempt",
    id: row.id,
    message_id: row.message_id,
    event_id: row.event_id,
    endpoint_id: row.endpoint_id,
    attempted_at: row.attempted_at,
    status_code: row.status_code,
    duration_ms: row.duration_ms,
    response_body: row.response_body,
    error: row.error,
    trigger: row.trigger,
  };
}

/** An endpoint's attempts, newest first; optionally of one message. */
export async function listAttempts(
  svc: Services,
  instanceId: string,
  endpointId: string,
  opts: { messageId?: string; limit?: number } = {},
): Promise<WebhookAttemptTable[]> {
  await getEndpoint(svc, instanceId, endpointId);
  return svc.db.kysely
    .selectFrom("webhook_attempts")
    .selectAll()
    .where("endpoint_id", "=", endpointId)
    .where("instance_id", "=", instanceId)
    .$if(opts.messageId !== undefined, (q) => q.where("message_id", "=", opts.messageId!))
    .orderBy("attempted_at", "desc")
    .limit(opts.limit ?? 100)
    .execute();
}

/** A `webhook.test` event for this endpoint only, delivered by the worker like any other. */
export async function sendTestEvent(svc: Services, instanceId: string, endpointId: string) {
  const endpoint = await getEndpoint(svc, instanceId, endpointId);
  const now = svc.now();
  return svc.db.kysely.transaction().execute(async (trx) => {
    const event = await writeEvent(
      trx,
      instanceId,
      "webhook.test",
      { object: "webhook_test", message: "A test event sent from Foyer.", endpoint_id: endpoint.id },
      now,
    );
    // Already dispatched: this event goes to this endpoint, not to every endpoint of the instance.
    await trx.updateTable("events").set({ dispatched: 1 }).where("id", "=", event.id).execute();
    const message = newMessage(instanceId, endpoint.id, event.id, now);
    await trx.insertInto("webhook_messages").values(message).execute();
    return { event, messageId: message.id };
  });
}

/** A message sent again: due now, its retry schedule from the start, no process holding it. */
function freshSchedule(now: number) {
  return {
    status: "pending",
    attempt_count: 0,
    next_attempt_at: now,
    lease_owner: null,
    lease_until: null,
    updated_at: now,
  } as const;
}

/** Sends one message again now, with a fresh retry schedule. */
export async function replayMessage(
  svc: Services,
  instanceId: string,
  endpointId: string,
  messageId: string,
) {
  await getEndpoint(svc, instanceId, endpointId);
  const res = await svc.db.kysely
    .updateTable("webhook_messages")
    .set(freshSchedule(svc.now()))
    .where("id", "=", messageId)
    .where("endpoint_id", "=", endpointId)
    .where("instance_id", "=", instanceId)
    .executeTakeFirst();
  if (res.numUpdatedRows !== 1n)
    throw new ApiError("resource_not_found", { meta: { message_id: messageId } });
}

/** Sends again every message of the endpoint that failed and was created at or after `since`. */
export async function replayFailedSince(
  svc: Services,
  instanceId: string,
  endpointId: string,
  since: number,
): Promise<number> {
  await getEndpoint(svc, instanceId, endpointId);
  const res = await svc.db.kysely
    .updateTable("webhook_messages")
    .set(freshSchedule(svc.now()))
    .where("endpoint_id", "=", endpointId)
    .where("instance_id", "=", instanceId)
    .where("status", "=", "failed")
    .where("created_at", ">=", since)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}
