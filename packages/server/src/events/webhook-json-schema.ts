/**
 * The webhook endpoint, secret and attempt JSON as zod schemas for the API reference, held equal
 * at compile time to the contract's types (a field renamed on one side breaks the build).
 */
import {
  WEBHOOK_EVENT_TYPES,
  type WebhookAttemptJSON,
  type WebhookEndpointJSON,
  type WebhookEndpointSecretJSON,
} from "@foyer/contract";
import { z } from "zod";
import type { SameShape } from "../same-shape.js";

const ms = z.number().int().describe("Milliseconds since the epoch.");

export const webhookEndpointJsonSchema = z.object({
  object: z.literal("webhook_endpoint"),
  id: z.string(),
  instance_id: z.string(),
  url: z.string(),
  description: z.string(),
  event_types: z.array(z.enum(WEBHOOK_EVENT_TYPES)).describe("Empty: every event type."),
  enabled: z.boolean(),
  disabled_reason: z.string().nullable().describe("Why Foyer disabled the endpoint (it failed for days)."),
  failing_since: ms.nullable().describe("Start of the current run of failed attempts."),
  created_at: ms,
  updated_at: ms,
});

export const createdWebhookEndpointJsonSchema = webhookEndpointJsonSchema.extend({
  secret: z.string().describe("The `whsec_` signing secret; later only `GET …/secret` shows it."),
});

export const webhookEndpointSecretJsonSchema = z.object({
  object: z.literal("webhook_endpoint_secret"),
  secret: z.string().describe("`whsec_` + base64 of 32 random bytes (Standard Webhooks)."),
});

export const webhookAttemptJsonSchema = z.object({
  object: z.literal("webhook_attempt"),
  id: z.string(),
  message_id: z.string(),
  event_id: z.string().describe("Also the delivery's `webhook-id`."),
  endpoint_id: z.string(),
  attempted_at: ms,
  status_code: z.number().int().nullable().describe("Null when no HTTP answer came."),
  duration_ms: z.number().int(),
  response_body: z.string().nullable().describe("The receiver's answer, first 1000 characters."),
  error: z
    .string()
    .nullable()
    .describe("`timeout`, `redirect`, `address_refused`, `connection_failed`, `http_error`…"),
  trigger: z.enum(["scheduled", "manual", "test"]),
});

export const webhookMessageJsonSchema = z.object({
  object: z.literal("webhook_message"),
  id: z.string(),
  event_id: z.string().optional(),
  status: z.literal("pending"),
});

export const webhookReplayJsonSchema = z.object({
  object: z.literal("webhook_replay"),
  replayed: z.number().int(),
});

export const webhookSchemasMatchContract: [
  SameShape<z.infer<typeof webhookEndpointJsonSchema>, WebhookEndpointJSON>,
  SameShape<z.infer<typeof webhookEndpointSecretJsonSchema>, WebhookEndpointSecretJSON>,
  SameShape<z.infer<typeof webhookAttemptJsonSchema>, WebhookAttemptJSON>,
] = [true, true, true];
