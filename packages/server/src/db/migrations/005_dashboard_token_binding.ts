import type { Kysely } from "kysely";

/**
 * Binds each dashboard session to the platform token it was opened with (by hash). Rotating a
 * leaked platform token must also end every dashboard session opened with it. Sessions from
 * before this migration have no binding and are thereby ended: operators sign in again.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("dashboard_sessions").addColumn("platform_token_hash", "text").execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("dashboard_sessions").dropColumn("platform_token_hash").execute();
}
