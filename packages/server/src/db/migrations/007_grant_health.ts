import type { Kysely } from "kysely";

/**
 * Grant health (refresh journal, keep-alive, reauthorization reasons):
 * - `refresh_intent_at`: written before Foyer sends a refresh to Atlassian and cleared once its
 *   outcome is stored. A row still carrying it after the lease ran out had its answer lost
 *   (timeout, crash, failed write): Foyer retries it itself while Atlassian's reuse leeway lasts.
 * - `last_refreshed_at` / `last_refresh_error`: what the last refresh did (keep-alive finds idle
 *   grants by the first; operators and apps read the second).
 * - `reauthorization_reason`: why a grant needs the user again (`revoked`, `idle_expired`,
 *   `refresh_lost`), so nothing dies silently.
 * - `refresh_failures`: consecutive transient failures, for a back-off that grows.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists.
export async function up(db: Kysely<any>): Promise<void> {
  const columns: Array<[string, "text" | "bigint" | "integer"]> = [
    ["refresh_intent_at", "bigint"],
    ["last_refreshed_at", "bigint"],
    ["last_refresh_error", "text"],
    ["reauthorization_reason", "text"],
    ["refresh_failures", "integer"],
  ];
  for (const [name, type] of columns) {
    await db.schema
      .alterTable("external_accounts")
      .addColumn(name, type, (col) => (name === "refresh_failures" ? col.notNull().defaultTo(0) : col))
      .execute();
  }
  // Keep-alive and recovery scan by these; both are small partial sets in practice.
  await db.schema
    .createIndex("external_accounts_last_refreshed")
    .on("external_accounts")
    .columns(["status", "last_refreshed_at"])
    .execute();
  await db.schema
    .createIndex("external_accounts_refresh_intent")
    .on("external_accounts")
    .column("refresh_intent_at")
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("external_accounts_refresh_intent").execute();
  await db.schema.dropIndex("external_accounts_last_refreshed").execute();
  for (const name of [
    "refresh_failures",
    "reauthorization_reason",
    "last_refresh_error",
    "last_refreshed_at",
    "refresh_intent_at",
  ]) {
    await db.schema.alterTable("external_accounts").dropColumn(name).execute();
  }
}
