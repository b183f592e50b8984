/**
 * `/platform/v1/instances/{id}/webhook_endpoints`: an instance's webhook endpoints, their
 * secrets (in the creation answer, on reveal and on rotation only), the delivery log, test
 * events and replays. Strict bodies: an unknown field is a 422, never silently ignored.
 */
import { WEBHOOK_EVENT_TYPES } from "@foyer/contract";
import { Hono } from "hono";
import { z } from "zod";
import { ApiError } from "../../errors/api-error.js";
import {
  createEndpoint,
  deleteEndpoint,
  endpointJson,
  getEndpoint,
  listEndpoints,
  revealSecret,
  rotateSecret,
  updateEndpoint,
} from "../../events/webhook-endpoints.js";
import {
  attemptJson,
  listAttempts,
  replayFailedSince,
  replayMessage,
  sendTestEvent,
} from "../../events/webhook-log.js";
import { getInstance } from "../../instances/instances.js";
import type { Services } from "../../services.js";
import { readBody } from "../body.js";

const url = z.string().min(1).max(2000);
const description = z.string().max(500);
const eventTypes = z.array(z.enum(WEBHOOK_EVENT_TYPES)).max(WEBHOOK_EVENT_TYPES.length);

export const createWebhookEndpointBody = z.strictObject({
  url,
  description: description.optional(),
  event_types: eventTypes.optional(),
});
export const webhookEndpointPatchBody = z.strictObject({
  url: url.optional(),
  description: description.optional(),
  event_types: eventTypes.optional(),
  enabled: z.boolean().optional(),
});
export const replayFailedBody = z.strictObject({
  since: z.number().int().min(0).describe("Milliseconds since the epoch: messages created at or after it."),
});
/** The body of the action routes (rotate, test, replay): none, and nothing unknown either. */
export const webhookActionBody = z.strictObject({});
export const webhookAttemptsQuery = z.strictObject({
  message_id: z.string().max(100).optional().describe("Only this message's attempts."),
  limit: z.coerce.number().int().min(1).max(500).optional().describe("At most this many (default 100)."),
});

const secretJson = (secret: string) => ({ object: "webhook_endpoint_secret", secret });

function attemptsQueryOf(query: Record<string, string>) {
  const parsed = webhookAttemptsQuery.safeParse(query);
  if (!parsed.success) {
    const param = String(parsed.error.issues[0]?.path[0] ?? "");
    throw new ApiError("query_param_invalid", { meta: { param_name: param } });
  }
  return parsed.data;
}

export function webhookEndpointRoutes(svc: Services): Hono {
  const r = new Hono();
  const base = "/:id/webhook_endpoints";

  r.get(base, async (c) => {
    const instance = await getInstance(svc, c.req.param("id"));
    const rows = await listEndpoints(svc, instance.id);
    return c.json({ data: rows.map(endpointJson), total_count: rows.length });
  });

  r.post(base, async (c) => {
    const instance = await getInstance(svc, c.req.param("id"));
    const body = await readBody(c, createWebhookEndpointBody);
    const { endpoint, secret } = await createEndpoint(svc, instance, body);
    // The one answer that carries the secret unasked; later only `GET …/secret` reveals it.
    return c.json({ ...endpointJson(endpoint), secret }, 201);
  });

  r.get(`${base}/:endpointId`, async (c) => {
    const instance = await getInstance(svc, c.req.param("id"));
    return c.json(endpointJson(await getEndpoint(svc, instance.id, c.req.param("endpointId"))));
  });

  r.patch(`${base}/:endpointId`, async (c) => {
    const instance = await getInstance(svc, c.req.param("id"));
    const body = await readBody(c, webhookEndpointPatchBody);
    return c.json(endpointJson(await updateEndpoint(svc, instance, c.req.param("endpointId"), body)));
  });

  r.delete(`${base}/:endpointId`, async (c) => {
    const instance = await getInstance(svc, c.req.param("id"));
    await deleteEndpoint(svc, instance.id, c.req.param("endpointId"));
    return c.json({ object: "webhook_endpoint", id: c.req.param("endpointId"), deleted: true });
  });

  r.get(`${base}/:endpointId/secret`, async (c) => {
    const instance = await getInstance(svc, c.req.param("id"));
    c.header("cache-control", "no-store");
    return c.json(
      secretJson(revealSecret(svc, await getEndpoint(svc, instance.id, c.req.param("endpointId")))),
    );
  });

  r.post(`${base}/:endpointId/rotate_secret`, async (c) => {
    const instance = await getInstance(svc, c.req.param("id"));
    await readBody(c, webhookActionBody);
    c.header("cache-control", "no-store");
    return c.json(secretJson(await rotateSecret(svc, instance.id, c.req.param("endpointId"))));
  });

  r.post(`${base}/:endpointId/test`, async (c) => {
    const instance = await getInstance(svc, c.req.param("id"));
    await readBody(c, webhookActionBody);
    const { event, messageId } = await sendTestEvent(svc, instance.id, c.req.param("endpointId"));
    return c.json({ object: "webhook_message", id: messageId, event_id: event.id, status: "pending" }, 202);
  });

  r.get(`${base}/:endpointId/attempts`, async (c) => {
    const instance = await getInstance(svc, c.req.param("id"));
    const query = attemptsQueryOf(c.req.query());
    const rows = await listAttempts(svc, instance.id, c.req.param("endpointId"), {
      messageId: query.message_id || undefined,
      limit: query.limit ?? 100,
    });
    return c.json({ data: rows.map(attemptJson), total_count: rows.length });
  });

  r.post(`${base}/:endpointId/messages/:messageId/replay`, async (c) => {
    const instance = await getInstance(svc, c.req.param("id"));
    await readBody(c, webhookActionBody);
    await replayMessage(svc, instance.id, c.req.param("endpointId"), c.req.param("messageId"));
    return c.json({ object: "webhook_message", id: c.req.param("messageId"), status: "pending" }, 202);
  });

  r.post(`${base}/:endpointId/replay_failed`, async (c) => {
    const instance = await getInstance(svc, c.req.param("id"));
    const { since } = await readBody(c, replayFailedBody);
    const count = await replayFailedSince(svc, instance.id, c.req.param("endpointId"), since);
    return c.json({ object: "webhook_replay", replayed: count }, 202);
  });

  return r;
}
