import type { Kysely } from "kysely";

/**
 * Webhook endpoints, one message per (endpoint, event) with its delivery state (retry schedule,
 * lease), and every attempt made (the delivery log).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("webhook_endpoints")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("instance_id", "text", (c) => c.notNull().references("instances.id").onDelete("cascade"))
    .addColumn("url", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("event_types", "text", (c) => c.notNull())
    .addColumn("enabled", "integer", (c) => c.notNull())
    .addColumn("disabled_reason", "text")
    .addColumn("secret_enc", "text", (c) => c.notNull())
    .addColumn("previous_secret_enc", "text")
    .addColumn("previous_secret_until", "bigint")
    .addColumn("failing_since", "bigint")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("webhook_endpoints_instance")
    .on("webhook_endpoints")
    .column("instance_id")
    .execute();

  await db.schema
    .createTable("webhook_messages")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("instance_id", "text", (c) => c.notNull())
    .addColumn("endpoint_id", "text", (c) =>
      c.notNull().references("webhook_endpoints.id").onDelete("cascade"),
    )
    .addColumn("event_id", "text", (c) => c.notNull().references("events.id").onDelete("cascade"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attempt_count", "integer", (c) => c.notNull())
    .addColumn("next_attempt_at", "bigint")
    .addColumn("lease_owner", "text")
    .addColumn("lease_until", "bigint")
    .addColumn("last_attempt_at", "bigint")
    .addColumn("last_status_code", "integer")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addUniqueConstraint("webhook_messages_once", ["endpoint_id", "event_id"])
    .execute();
  await db.schema
    .createIndex("webhook_messages_due")
    .on("webhook_messages")
    .columns(["status", "next_attempt_at"])
    .execute();

  await db.schema
    .createTable("webhook_attempts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("instance_id", "text", (c) => c.notNull())
    .addColumn("endpoint_id", "text", (c) =>
      c.notNull().references("webhook_endpoints.id").onDelete("cascade"),
    )
    .addColumn("message_id", "text", (c) => c.notNull().references("webhook_messages.id").onDelete("cascade"))
    .addColumn("event_id", "text", (c) => c.notNull())
    .addColumn("attempted_at", "bigint", (c) => c.notNull())
    .addColumn("status_code", "integer")
    .addColumn("duration_ms", "integer", (c) => c.notNull())
    .addColumn("response_body", "text")
    .addColumn("error", "text")
    .addColumn("trigger", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("webhook_attempts_endpoint")
    .on("webhook_attempts")
    .columns(["endpoint_id", "attempted_at"])
    .execute();
  await db.schema
    .createIndex("webhook_attempts_message")
    .on("webhook_attempts")
    .column("message_id")
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("webhook_attempts").execute();
  await db.schema.dropTable("webhook_messages").execute();
  await db.schema.dropTable("webhook_endpoints").execute();
}
