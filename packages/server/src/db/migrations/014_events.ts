import type { Kysely } from "kysely";

/**
 * The outbox: one row per event, written in the same transaction as the change it reports
 * (events/outbox.ts), so a change never commits without its event nor an event without its
 * change. `dispatched` turns 1 once the delivery worker has made the per-endpoint messages.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("instance_id", "text", (c) => c.notNull().references("instances.id").onDelete("cascade"))
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("dispatched", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("events_dispatch").on("events").columns(["dispatched", "created_at"]).execute();
  await db.schema
    .createIndex("events_instance")
    .on("events")
    .columns(["instance_id", "created_at"])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("events").execute();
}
