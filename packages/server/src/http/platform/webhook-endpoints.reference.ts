/** API reference entries of `webhook-endpoints.ts` (paths relative to its router, mounted at /platform/v1/instances). */
import {
  createdWebhookEndpointJsonSchema,
  webhookAttemptJsonSchema,
  webhookEndpointJsonSchema,
  webhookEndpointSecretJsonSchema,
  webhookMessageJsonSchema,
  webhookReplayJsonSchema,
} from "../../events/webhook-json-schema.js";
import { deletedObjectJsonSchema, paginated } from "../reference/envelope-schemas.js";
import type { RouteDoc } from "../reference/route-doc.js";
import {
  createWebhookEndpointBody,
  replayFailedBody,
  webhookActionBody,
  webhookAttemptsQuery,
  webhookEndpointPatchBody,
} from "./webhook-endpoints.js";

const base = "/:id/webhook_endpoints";
const one = `${base}/:endpointId`;
const endpoint = {
  status: 200,
  description: "The endpoint (never its secret).",
  schema: webhookEndpointJsonSchema,
};
const secret = { status: 200, description: "The signing secret.", schema: webhookEndpointSecretJsonSchema };
const queued = { status: 202, description: "Queued for delivery.", schema: webhookMessageJsonSchema };

export const webhookEndpointRouteDocs: RouteDoc[] = [
  {
    method: "get",
    path: base,
    summary: "List webhook endpoints",
    response: {
      status: 200,
      description: "The instance's endpoints, oldest first.",
      schema: paginated(webhookEndpointJsonSchema),
    },
    errors: ["resource_not_found"],
  },
  {
    method: "post",
    path: base,
    summary: "Create a webhook endpoint",
    description:
      "Production endpoints must be https and resolve to a public address (checked again at every delivery); development ones may use http://localhost. The answer carries the `whsec_` secret.",
    body: createWebhookEndpointBody,
    response: {
      status: 201,
      description: "The endpoint with its secret.",
      schema: createdWebhookEndpointJsonSchema,
    },
    errors: ["resource_not_found", "webhook_url_invalid", "webhook_endpoint_limit_reached"],
  },
  {
    method: "get",
    path: one,
    summary: "Get a webhook endpoint",
    response: endpoint,
    errors: ["resource_not_found"],
  },
  {
    method: "patch",
    path: one,
    summary: "Update a webhook endpoint",
    description: "URL, description, event types, enabled (enabling clears a disabled reason).",
    body: webhookEndpointPatchBody,
    response: endpoint,
    errors: ["resource_not_found", "webhook_url_invalid"],
  },
  {
    method: "delete",
    path: one,
    summary: "Delete a webhook endpoint",
    response: {
      status: 200,
      description: "The deleted object (`object: webhook_endpoint`).",
      schema: deletedObjectJsonSchema,
    },
    errors: ["resource_not_found"],
  },
  {
    method: "get",
    path: `${one}/secret`,
    summary: "Reveal the signing secret",
    response: secret,
    errors: ["resource_not_found"],
  },
  {
    method: "post",
    path: `${one}/rotate_secret`,
    summary: "Rotate the signing secret",
    description: "The old secret keeps signing, alongside the new one, for 24 hours.",
    body: webhookActionBody,
    response: secret,
    errors: ["resource_not_found"],
  },
  {
    method: "post",
    path: `${one}/test`,
    summary: "Send a test event",
    description: "A `webhook.test` event to this endpoint only, delivered like any other.",
    body: webhookActionBody,
    response: queued,
    errors: ["resource_not_found"],
  },
  {
    method: "get",
    path: `${one}/attempts`,
    summary: "The delivery log",
    description: "Attempts, newest first: time, status code, duration, the answer (truncated), the error.",
    query: webhookAttemptsQuery,
    response: { status: 200, description: "The attempts.", schema: paginated(webhookAttemptJsonSchema) },
    errors: ["resource_not_found", "query_param_invalid"],
  },
  {
    method: "post",
    path: `${one}/messages/:messageId/replay`,
    summary: "Replay one message",
    description: "Sent again now, with a fresh retry schedule.",
    body: webhookActionBody,
    response: queued,
    errors: ["resource_not_found"],
  },
  {
    method: "post",
    path: `${one}/replay_failed`,
    summary: "Replay every failed message since a time",
    body: replayFailedBody,
    response: {
      status: 202,
      description: "How many messages were queued again.",
      schema: webhookReplayJsonSchema,
    },
    errors: ["resource_not_found"],
  },
];
