/**
 * Delivery of the outbox, at least once, by exactly one process per attempt:
 *
 * 1. **fan-out**: each undispatched event becomes one message per enabled endpoint that wants
 *    its type, in one transaction that also marks the event dispatched (a second process finds
 *    it dispatched, so no message is made twice; a unique key backs that up);
 * 2. **claim**: due messages are leased to this process by one UPDATE (PostgreSQL: over rows
 *    picked `FOR UPDATE SKIP LOCKED`, so processes never wait for or take each other's; SQLite
 *    has one writer). A crashed process's lease runs out after LEASE_MS and another takes over;
 * 3. **attempt**: a signed POST through the outbound guard; the attempt is logged, and the
 *    message delivered, scheduled again (retry-schedule.ts) or failed, all guarded by the lease.
 *
 * Every state lives in the database, so a restart loses nothing: what was due is due again.
 */
import type { WebhookEventJSON } from "@foyer/contract";
import { newId } from "../crypto/random.js";
import type { WebhookEndpointTable, WebhookMessageTable } from "../db/schema.js";
import { guardedPost, type Resolver } from "../net/guarded-post.js";
import type { Services } from "../services.js";
import { nextRetryDelay, RETRY_SCHEDULE_MS } from "./retry-schedule.js";
import { signingSecrets } from "./webhook-endpoints.js";
import { signedHeaders } from "./webhook-signature.js";

/** Longer than any attempt can take (the POST times out at 15 s), so a live lease is never taken. */
export const LEASE_MS = 60_000;
export const DELIVERY_TIMEOUT_MS = 15_000;
/** Characters of a receiver's answer kept in the delivery log. */
export const MAX_LOGGED_RESPONSE = 1_000;
/** An endpoint whose every attempt failed for this long is disabled. */
export const DISABLE_AFTER_MS = 5 * 24 * 3_600_000;

export interface DeliveryOptions {
  /** This process's name in leases. */
  owner: string;
  /** DNS for the outbound guard (tests inject answers). */
  resolve?: Resolver;
  schedule?: readonly number[];
  /** Jitter source in [0, 1). */
  random?: () => number;
  timeoutMs?: number;
}

function wants(endpoint: WebhookEndpointTable, type: string): boolean {
  const types = JSON.parse(endpoint.event_types) as string[];
  return types.length === 0 || types.includes(type);
}

/** Turns undispatched events into messages. Returns how many events it dispatched. */
export async function fanOut(svc: Services, limit = 100): Promise<number> {
  const events = await svc.db.kysely
    .selectFrom("events")
    .select(["id", "instance_id", "type"])
    .where("dispatched", "=", 0)
    .orderBy("id", "asc")
    .limit(limit)
    .execute();
  let dispatched = 0;
  for (const event of events) {
    await svc.db.kysely.transaction().execute(async (trx) => {
      const claimed = await trx
        .updateTable("events")
        .set({ dispatched: 1 })
        .where("id", "=", event.id)
        .where("dispatched", "=", 0)
        .executeTakeFirst();
      if (claimed.numUpdatedRows !== 1n) return;
      dispatched++;
      const endpoints = await trx
        .selectFrom("webhook_endpoints")
        .selectAll()
        .where("instance_id", "=", event.instance_id)
        .where("enabled", "=", 1)
        .execute();
      const now = svc.now();
      const rows = endpoints
        .filter((e) => wants(e, event.type))
        .map((e) => newMessage(event.instance_id, e.id, event.id, now));
      if (rows.length > 0) await trx.insertInto("webhook_messages").values(rows).execute();
    });
  }
  return dispatched;
}

export function newMessage(
  instanceId: string,
  endpointId: string,
  eventId: string,
  now: number,
): WebhookMessageTable {
  return {
    id: newId("msg"),
    instance_id: instanceId,
    endpoint_id: endpointId,
    event_id: eventId,
    status: "pending",
    attempt_count: 0,
    next_attempt_at: now,
    lease_owner: null,
    lease_until: null,
    last_attempt_at: null,
    last_status_code: null,
    created_at: now,
    updated_at: now,
  };
}

/** Leases up to `limit` due messages to `owner`; each is then this process's alone until LEASE_MS. */
export async function claimDue(svc: Services, owner: string, limit: number): Promise<WebhookMessageTable[]> {
  const now = svc.now();
  const db = svc.db.kysely;
  const due = db
    .selectFrom("webhook_messages")
    .select("id")
    .where("status", "=", "pending")
    .where("next_attempt_at", "<=", now)
    .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", now)]))
    .orderBy("next_attempt_at", "asc")
    .limit(limit)
    .$if(svc.db.dialect === "postgres", (q) => q.forUpdate().skipLocked());
  return db
    .updateTable("webhook_messages")
    .set({ lease_owner: owner, lease_until: now + LEASE_MS })
    .where("id", "in", due)
    .where("status", "=", "pending")
    .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", now)]))
    .returningAll()
    .execute();
}

function describeFailure(status: number | null, error: string | null): string {
  return status !== null ? `HTTP ${status}` : (error ?? "no answer");
}

/**
 * One attempt at a leased message. Returns true when the receiver answered 2xx. Nothing the
 * receiver answers changes Foyer's state beyond this message, its log and the endpoint's health.
 */
export async function attemptMessage(
  svc: Services,
  message: WebhookMessageTable,
  opts: DeliveryOptions,
  trigger?: "scheduled" | "manual" | "test",
): Promise<boolean> {
  const db = svc.db.kysely;
  const [endpoint, event, instance] = await Promise.all([
    db.selectFrom("webhook_endpoints").selectAll().where("id", "=", message.endpoint_id).executeTakeFirst(),
    db.selectFrom("events").select(["payload", "type"]).where("id", "=", message.event_id).executeTakeFirst(),
    db.selectFrom("instances").select("environment").where("id", "=", message.instance_id).executeTakeFirst(),
  ]);
  if (!endpoint || !event || !instance || endpoint.enabled !== 1) {
    // A disabled endpoint receives nothing; its messages fail and can be replayed once it is back.
    await db
      .updateTable("webhook_messages")
      .set({
        status: "failed",
        next_attempt_at: null,
        lease_owner: null,
        lease_until: null,
        updated_at: svc.now(),
      })
      .where("id", "=", message.id)
      .where("lease_owner", "=", opts.owner)
      .execute();
    return false;
  }
  const started = svc.now();
  const id = (JSON.parse(event.payload) as WebhookEventJSON).id;
  const headers = signedHeaders(
    signingSecrets(svc, endpoint, started),
    id,
    Math.floor(started / 1000),
    event.payload,
  );
  const outcome = await guardedPost({
    url: endpoint.url,
    mode: instance.environment,
    headers,
    body: event.payload,
    timeoutMs: opts.timeoutMs ?? DELIVERY_TIMEOUT_MS,
    maxResponseBytes: 4 * MAX_LOGGED_RESPONSE,
    resolve: opts.resolve,
  });
  const ok = outcome.kind === "answered" && outcome.status >= 200 && outcome.status < 300;
  const statusCode = outcome.kind === "answered" ? outcome.status : null;
  // A redirect is not followed: the receiver must answer at the URL it gave.
  const error =
    outcome.kind === "failed"
      ? outcome.error
      : ok
        ? null
        : statusCode! >= 300 && statusCode! < 400
          ? "redirect"
          : "http_error";
  const now = svc.now();
  const failures = message.attempt_count + 1;
  const delay = ok
    ? undefined
    : nextRetryDelay(failures, opts.schedule ?? RETRY_SCHEDULE_MS, opts.random ?? Math.random);

  await db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable("webhook_messages")
      .set({
        status: ok ? "delivered" : delay === undefined ? "failed" : "pending",
        attempt_count: failures,
        next_attempt_at: ok || delay === undefined ? null : now + delay,
        lease_owner: null,
        lease_until: null,
        last_attempt_at: started,
        last_status_code: statusCode,
        updated_at: now,
      })
      .where("id", "=", message.id)
      .where("lease_owner", "=", opts.owner)
      .executeTakeFirst();
    if (moved.numUpdatedRows !== 1n) return;
    await trx
      .insertInto("webhook_attempts")
      .values({
        id: newId("wha"),
        instance_id: message.instance_id,
        endpoint_id: endpoint.id,
        message_id: message.id,
        event_id: message.event_id,
        attempted_at: started,
        status_code: statusCode,
        duration_ms: outcome.durationMs,
        response_body: outcome.kind === "answered" ? outcome.body.slice(0, MAX_LOGGED_RESPONSE) : null,
        error: outcome.kind === "failed" ? `${outcome.error}: ${outcome.detail}`.slice(0, 300) : error,
        trigger: trigger ?? (event.type === "webhook.test" ? "test" : "scheduled"),
      })
      .execute();
    if (ok) {
      await trx
        .updateTable("webhook_endpoints")
        .set({ failing_since: null })
        .where("id", "=", endpoint.id)
        .where("failing_since", "is not", null)
        .execute();
      return;
    }
    const since = endpoint.failing_since ?? started;
    const disable = now - since >= DISABLE_AFTER_MS;
    await trx
      .updateTable("webhook_endpoints")
      .set({
        failing_since: since,
        ...(disable
          ? {
              enabled: 0,
              disabled_reason: `Disabled by Foyer: every delivery failed since ${new Date(since).toISOString()} (last: ${describeFailure(statusCode, error)}).`,
              updated_at: now,
            }
          : {}),
      })
      .where("id", "=", endpoint.id)
      .execute();
  });
  if (!ok) {
    svc.log.info(
      {
        webhook_endpoint_id: endpoint.id,
        message_id: message.id,
        status: statusCode,
        error,
        attempt: failures,
      },
      "webhook delivery failed",
    );
  }
  return ok;
}

/** One pass: fan out, then claim and attempt what is due, `concurrency` at a time. */
export async function deliverDue(
  svc: Services,
  opts: DeliveryOptions & { batch?: number; concurrency?: number },
): Promise<{ attempted: number; delivered: number }> {
  await fanOut(svc);
  const claimed = await claimDue(svc, opts.owner, opts.batch ?? 50);
  let next = 0;
  let delivered = 0;
  const worker = async () => {
    while (next < claimed.length) {
      const message = claimed[next++]!;
      if (await attemptMessage(svc, message, opts)) delivered++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 8, claimed.length) }, worker));
  return { attempted: claimed.length, delivered };
}
