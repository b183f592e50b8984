import type { Kysely } from "kysely";

/**
 * Rate-limit counters shared by every Foyer process on this database: one row per bucket (a
 * limit's name and key, e.g. `frontend-ip:203.0.113.7`) and minute window. Processes add their
 * local counts with one upsert and read back the global count (limits/shared-limits.ts). Rows
 * are deleted in small batches once `expires_at` (two windows after the start) has passed; the
 * index keeps that a range scan.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("rate_limit_windows")
    .addColumn("bucket", "text", (col) => col.notNull())
    .addColumn("window_start", "bigint", (col) => col.notNull())
    .addColumn("count", "bigint", (col) => col.notNull())
    .addColumn("expires_at", "bigint", (col) => col.notNull())
    .addPrimaryKeyConstraint("rate_limit_windows_pk", ["bucket", "window_start"])
    .execute();
  await db.schema
    .createIndex("rate_limit_windows_expiry")
    .on("rate_limit_windows")
    .column("expires_at")
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("rate_limit_windows").execute();
}
