/**
 * Events and webhook endpoints: what Foyer sends to an app's receivers and what the Platform API
 * answers about the endpoints. `data` carries the same JSON as the Backend API for the resource.
 */
import type { OrganizationJSON, OrganizationMembershipJSON } from "./organizations.js";
import type { BackendSessionJSON } from "./sessions.js";
import type { BackendUserJSON, ExternalAccountJSON, ReauthorizationReason } from "./users.js";

/** Every event type Foyer emits (Clerk's names where Clerk has the event). */
export const WEBHOOK_EVENT_TYPES = [
  "user.created",
  "user.updated",
  "user.deleted",
  "session.created",
  "session.ended",
  "session.revoked",
  "external_account.created",
  "external_account.updated",
  "external_account.deleted",
  "external_account.reauthorization_required",
  "external_account.reactivated",
  "external_account.site_added",
  "external_account.site_lost",
  "external_account.scopes_changed",
  "organization.created",
  "organization.updated",
  "organization.deleted",
  "organizationMembership.created",
  "organizationMembership.updated",
  "organizationMembership.deleted",
  "webhook.test",
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What `user.deleted` and `external_account.deleted` carry, as Clerk's deleted objects. */
export interface DeletedResourceJSON {
  object: "user" | "external_account" | "organization";
  id: string;
  deleted: true;
  /** For a deleted external account: its user. */
  user_id?: string;
}

/** A grant event's data: the account as the Backend API shows it, plus what changed. */
export type ExternalAccountEventDataJSON = ExternalAccountJSON & {
  user_id: string;
  /** external_account.site_added / site_lost: the cloud ids concerned. */
  site_ids?: string[];
  /** external_account.scopes_changed: the scopes before. */
  previous_scopes?: string;
  /** external_account.reauthorization_required: why (also on the account itself). */
  reauthorization_reason?: ReauthorizationReason | null;
};

export type WebhookEventDataJSON =
  | BackendUserJSON
  | BackendSessionJSON
  | ExternalAccountEventDataJSON
  | DeletedResourceJSON
  | OrganizationJSON
  | OrganizationMembershipJSON
  | Record<string, unknown>;

/** The envelope every delivery carries (Clerk's shape). */
export interface WebhookEventJSON {
  object: "event";
  /** The event's id; also the `webhook-id` header, the same on every retry: de-duplicate on it. */
  id: string;
  type: WebhookEventType;
  data: WebhookEventDataJSON;
  /** Milliseconds since the epoch, when the change committed. */
  timestamp: number;
  instance_id: string;
}

export interface WebhookEndpointJSON {
  object: "webhook_endpoint";
  id: string;
  instance_id: string;
  url: string;
  description: string;
  /** Empty: every event type. */
  event_types: WebhookEventType[];
  enabled: boolean;
  /** Why Foyer disabled the endpoint (it failed for days), or null. */
  disabled_reason: string | null;
  /** Start of the current run of failures, or null. */
  failing_since: number | null;
  created_at: number;
  updated_at: number;
}

/** Only in the creation answer, the rotation answer and `GET …/secret`. */
export interface WebhookEndpointSecretJSON {
  object: "webhook_endpoint_secret";
  /** `whsec_` + base64 of 32 random bytes (Standard Webhooks). */
  secret: string;
}

export interface WebhookAttemptJSON {
  object: "webhook_attempt";
  id: string;
  message_id: string;
  event_id: string;
  endpoint_id: string;
  attempted_at: number;
  /** Null when no HTTP answer came. */
  status_code: number | null;
  duration_ms: number;
  /** The receiver's answer, truncated. */
  response_body: string | null;
  /** Why it failed without an answer: `timeout`, `redirect`, `address_refused`, `connection_failed`. */
  error: string | null;
  trigger: "scheduled" | "manual" | "test";
}
