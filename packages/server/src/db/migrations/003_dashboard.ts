import type { Kysely } from "kysely";

/**
 * Dashboard sign-ins, kept in the database (not in process memory) so every Foyer process behind
 * a load balancer honours the same sessions, and a sign-out on one ends them on all. Only the
 * SHA-256 of the cookie value is stored: a database leak yields no usable cookie.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("dashboard_sessions")
    .addColumn("id_hash", "text", (c) => c.primaryKey())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("dashboard_sessions_expiry")
    .on("dashboard_sessions")
    .column("expires_at")
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("dashboard_sessions").execute();
}
