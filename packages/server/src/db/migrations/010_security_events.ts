import type { Kysely } from "kysely";

/**
 * Security events counted per instance and kind (the events themselves are log lines). The
 * instance is "" when it cannot be known (a forged state on the shared callback).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("security_event_counts")
    .addColumn("instance_id", "text", (col) => col.notNull())
    .addColumn("kind", "text", (col) => col.notNull())
    .addColumn("count", "bigint", (col) => col.notNull())
    .addColumn("last_at", "bigint", (col) => col.notNull())
    .addPrimaryKeyConstraint("security_event_counts_pk", ["instance_id", "kind"])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("security_event_counts").execute();
}
