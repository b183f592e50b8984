import { type Kysely, sql } from "kysely";

/**
 * Usernames are unique within an instance, ignoring case (as Clerk's are), so the Backend API's
 * check-then-write cannot let two concurrent PATCHes take one name. NULLs are distinct on both
 * databases: any number of users have no username.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create unique index users_instance_username on users (instance_id, lower(username))`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("users_instance_username").execute();
}
