import type { Kysely } from "kysely";

/**
 * Tenancy from Atlassian sites (issue 18):
 * - `instances.allowed_atlassian_sites`: JSON array of cloud ids and site URLs (normalised); an
 *   empty array lets every site in. A grant that covers none of them signs nobody up or in.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("instances")
    .addColumn("allowed_atlassian_sites", "text", (c) => c.notNull().defaultTo("[]"))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("instances").dropColumn("allowed_atlassian_sites").execute();
}
