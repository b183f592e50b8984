import { type Kysely, sql } from "kysely";

/**
 * Indexes for the Backend API's user list: each allow-listed `order_by` field within an
 * instance, with the id as tie-breaker (the list orders by both, so paging stays stable), and
 * case-insensitive email lookup for the `email_address` filter.
 */
const ORDERED = ["created_at", "updated_at", "last_sign_in_at", "first_name", "last_name"] as const;

// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists.
export async function up(db: Kysely<any>): Promise<void> {
  for (const column of ORDERED) {
    await db.schema
      .createIndex(`users_instance_${column}_id`)
      .on("users")
      .columns(["instance_id", column, "id"])
      .execute();
  }
  await sql`create index email_addresses_instance_lower on email_addresses (instance_id, lower(email_address))`.execute(
    db,
  );
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("email_addresses_instance_lower").execute();
  for (const column of ORDERED) await db.schema.dropIndex(`users_instance_${column}_id`).execute();
}
