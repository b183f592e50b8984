import type { Kysely } from "kysely";

/**
 * The sign-in flood brakes count an instance's unexpired transactions at every start: an index
 * on (instance_id, expires_at) keeps that a range scan of one instance's rows.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex("oauth_transactions_instance_expiry")
    .on("oauth_transactions")
    .columns(["instance_id", "expires_at"])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("oauth_transactions_instance_expiry").execute();
}
