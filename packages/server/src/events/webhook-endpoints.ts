/**
 * Webhook endpoints of an instance: where events go, which types, and the `whsec_` secret each
 * delivery is signed with. The secret is stored encrypted with the row's identity as associated
 * data (a ciphertext copied to another endpoint fails to decrypt); a rotated-out secret keeps
 * signing, next to the new one, for a day, so receivers can switch without losing a delivery.
 */
import { WEBHOOK_EVENT_TYPES, type WebhookEndpointJSON, type WebhookEventType } from "@foyer/contract";
import { newId } from "../crypto/random.js";
import { webhookSecretAad } from "../db/encrypted-columns.js";
import type { WebhookEndpointTable } from "../db/schema.js";
import { ApiError } from "../errors/api-error.js";
import type { Instance } from "../instances/instances.js";
import { checkOutboundUrl } from "../net/outbound-url.js";
import type { Services } from "../services.js";
import { newWebhookSecret } from "./webhook-signature.js";

/** How long a rotated-out secret still signs. */
export const PREVIOUS_SECRET_MS = 24 * 60 * 60 * 1000;
export const MAX_ENDPOINTS_PER_INSTANCE = 50;

/** The AAD binding an endpoint's secret to its row (db/encrypted-columns.ts, where rekey finds it). */
export function secretAad(
  row: Pick<WebhookEndpointTable, "instance_id" | "id">,
  which: "secret" | "previous_secret",
) {
  return webhookSecretAad(row.instance_id, row.id, which);
}

export function endpointJson(row: WebhookEndpointTable): WebhookEndpointJSON {
  return {
    object: "webhook_endpoint",
    id: row.id,
    instance_id: row.instance_id,
    url: row.url,
    description: row.description,
    event_types: JSON.parse(row.event_types) as WebhookEventType[],
    enabled: row.enabled === 1,
    disabled_reason: row.disabled_reason,
    failing_since: row.failing_since,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** The URL for this instance's environment, or a 422 naming why not. */
export function parseEndpointUrl(instance: Instance, url: string): string {
  const checked = checkOutboundUrl(url, instance.environment);
  if (!checked.ok) {
    throw new ApiError("webhook_url_invalid", {
      longMessage:
        checked.refusal === "https_required"
          ? instance.environment === "production"
            ? "A production instance's webhook URL must use https."
            : "Plain http is only allowed to localhost on a development instance; use https."
          : `The webhook URL is not usable (${checked.refusal}).`,
      meta: { param_name: "url", reason: checked.refusal },
    });
  }
  return checked.url.href;
}

function eventTypes(types: readonly string[] | undefined): string {
  const known = new Set<string>(WEBHOOK_EVENT_TYPES);
  for (const t of types ?? []) {
    if (!known.has(t)) {
      throw new ApiError("form_param_invalid", {
        longMessage: `Unknown event type "${t}".`,
        meta: { param_name: "event_types" },
      });
    }
  }
  return JSON.stringify([...new Set(types ?? [])]);
}

export interface EndpointInput {
  url: string;
  description?: string;
  event_types?: string[];
}

export async function createEndpoint(
  svc: Services,
  instance: Instance,
  input: EndpointInput,
): Promise<{ endpoint: WebhookEndpointTable; secret: string }> {
  const count = await svc.db.kysely
    .selectFrom("webhook_endpoints")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("instance_id", "=", instance.id)
    .executeTakeFirstOrThrow();
  if (Number(count.n) >= MAX_ENDPOINTS_PER_INSTANCE) throw new ApiError("webhook_endpoint_limit_reached");
  const now = svc.now();
  const id = newId("whe");
  const secret = newWebhookSecret();
  const row: WebhookEndpointTable = {
    id,
    instance_id: instance.id,
    url: parseEndpointUrl(instance, input.url),
    description: input.description ?? "",
    event_types: eventTypes(input.event_types),
    enabled: 1,
    disabled_reason: null,
    secret_enc: svc.keyring.encrypt(secret, secretAad({ instance_id: instance.id, id }, "secret")),
    previous_secret_enc: null,
    previous_secret_until: null,
    failing_since: null,
    created_at: now,
    updated_at: now,
  };
  await svc.db.kysely.insertInto("webhook_endpoints").values(row).execute();
  return { endpoint: row, secret };
}

export async function listEndpoints(svc: Services, instanceId: string): Promise<WebhookEndpointTable[]> {
  return svc.db.kysely
    .selectFrom("webhook_endpoints")
    .selectAll()
    .where("instance_id", "=", instanceId)
    .orderBy("created_at", "asc")
    .execute();
}

export async function getEndpoint(
  svc: Services,
  instanceId: string,
  id: string,
): Promise<WebhookEndpointTable> {
  const row = await svc.db.kysely
    .selectFrom("webhook_endpoints")
    .selectAll()
    .where("id", "=", id)
    .where("instance_id", "=", instanceId)
    .executeTakeFirst();
  if (!row) throw new ApiError("resource_not_found", { meta: { webhook_endpoint_id: id } });
  return row;
}

export interface EndpointPatch {
  url?: string;
  description?: string;
  event_types?: string[];
  enabled?: boolean;
}

export async function updateEndpoint(
  svc: Services,
  instance: Instance,
  id: string,
  patch: EndpointPatch,
): Promise<WebhookEndpointTable> {
  await getEndpoint(svc, instance.id, id);
  const set: Partial<WebhookEndpointTable> = { updated_at: svc.now() };
  if (patch.url !== undefined) set.url = parseEndpointUrl(instance, patch.url);
  if (patch.description !== undefined) set.description = patch.description;
  if (patch.event_types !== undefined) set.event_types = eventTypes(patch.event_types);
  if (patch.enabled !== undefined) {
    set.enabled = patch.enabled ? 1 : 0;
    // Enabling again is a fresh start: the failure streak that disabled it is forgotten.
    if (patch.enabled) Object.assign(set, { disabled_reason: null, failing_since: null });
  }
  await svc.db.kysely
    .updateTable("webhook_endpoints")
    .set(set)
    .where("id", "=", id)
    .where("instance_id", "=", instance.id)
    .execute();
  return getEndpoint(svc, instance.id, id);
}

export async function deleteEndpoint(svc: Services, instanceId: string, id: string): Promise<void> {
  const res = await svc.db.kysely
    .deleteFrom("webhook_endpoints")
    .where("id", "=", id)
    .where("instance_id", "=", instanceId)
    .executeTakeFirst();
  if (res.numDeletedRows !== 1n)
    throw new ApiError("resource_not_found", { meta: { webhook_endpoint_id: id } });
}

export function revealSecret(svc: Services, row: WebhookEndpointTable): string {
  return svc.keyring.decrypt(row.secret_enc, secretAad(row, "secret"));
}

/** The secrets that sign a delivery now: the current one, and a rotated-out one for its last day. */
export function signingSecrets(svc: Services, row: WebhookEndpointTable, now: number): string[] {
  const secrets = [revealSecret(svc, row)];
  if (row.previous_secret_enc && row.previous_secret_until !== null && now < row.previous_secret_until) {
    secrets.push(svc.keyring.decrypt(row.previous_secret_enc, secretAad(row, "previous_secret")));
  }
  return secrets;
}

/** A new secret; the old one keeps signing (alongside) for PREVIOUS_SECRET_MS. */
export async function rotateSecret(svc: Services, instanceId: string, id: string): Promise<string> {
  const row = await getEndpoint(svc, instanceId, id);
  const now = svc.now();
  const secret = newWebhookSecret();
  const old = revealSecret(svc, row);
  await svc.db.kysely
    .updateTable("webhook_endpoints")
    .set({
      secret_enc: svc.keyring.encrypt(secret, secretAad(row, "secret")),
      previous_secret_enc: svc.keyring.encrypt(old, secretAad(row, "previous_secret")),
      previous_secret_until: now + PREVIOUS_SECRET_MS,
      updated_at: now,
    })
    .where("id", "=", id)
    .where("instance_id", "=", instanceId)
    .execute();
  return secret;
}
