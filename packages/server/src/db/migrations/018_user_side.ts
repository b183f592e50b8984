import type { Kysely } from "kysely";

/**
 * The user's own side (issue 17):
 * - `sessions.browser_name` / `browser_version` / `device_type` / `is_mobile`: what the user sees
 *   of each of their sessions ("Chrome 120 on macOS"), summarised from the User-Agent at sign-in.
 *   The raw User-Agent and the IP address are not kept: the list needs neither.
 * - `instances.reverification_max_age_seconds`: linking a new Atlassian account to a user needs
 *   a sign-in at most this old (Clerk's re-verification). Existing instances get the default.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("sessions").addColumn("browser_name", "text").execute();
  await db.schema.alterTable("sessions").addColumn("browser_version", "text").execute();
  await db.schema.alterTable("sessions").addColumn("device_type", "text").execute();
  await db.schema
    .alterTable("sessions")
    .addColumn("is_mobile", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("instances")
    .addColumn("reverification_max_age_seconds", "integer", (c) => c.notNull().defaultTo(600))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: as above.
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("instances").dropColumn("reverification_max_age_seconds").execute();
  for (const column of ["is_mobile", "device_type", "browser_version", "browser_name"]) {
    await db.schema.alterTable("sessions").dropColumn(column).execute();
  }
}
