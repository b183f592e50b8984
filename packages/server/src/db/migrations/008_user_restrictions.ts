import type { Kysely } from "kysely";

/**
 * Users the operator has stopped (Clerk's ban and lock): `banned` and `locked`, 0/1. Either one
 * refuses sign-in, session tokens and Atlassian tokens; setting one also ends the user's sessions.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists.
export async function up(db: Kysely<any>): Promise<void> {
  for (const name of ["banned", "locked"]) {
    await db.schema
      .alterTable("users")
      .addColumn(name, "integer", (col) => col.notNull().defaultTo(0))
      .execute();
  }
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ["locked", "banned"]) await db.schema.alterTable("users").dropColumn(name).execute();
}
