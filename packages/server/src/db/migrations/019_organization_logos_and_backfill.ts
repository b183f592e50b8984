import { type Kysely, sql } from "kysely";

/**
 * The rest of organizations (issue 18):
 * - `organization_logos`: an organization's uploaded logo (Clerk's `PUT /v1/organizations/{id}/logo`),
 *   at most one per organization, its bytes as base64 text (no binary column type is portable
 *   between SQLite and PostgreSQL, and logos are small). Each upload is a new row with a new id,
 *   so a logo's URL always serves the same bytes.
 * - `site_organization_backfills`: instances whose `organizations_from_sites` was turned on and
 *   whose existing users' sites are still being bound, with the last user id done, so a restart
 *   resumes where the last committed batch ended.
 * - A site organization's `image_url` no longer copies the site's avatar (which follows the site;
 *   the JSON falls back to it): copies made at creation are cleared.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("organization_logos")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("instance_id", "text", (c) => c.notNull().references("instances.id").onDelete("cascade"))
    .addColumn("organization_id", "text", (c) =>
      c.notNull().unique().references("organizations.id").onDelete("cascade"),
    )
    .addColumn("content_type", "text", (c) => c.notNull())
    .addColumn("byte_size", "integer", (c) => c.notNull())
    .addColumn("data_base64", "text", (c) => c.notNull())
    .addColumn("uploader_user_id", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("site_organization_backfills")
    .addColumn("instance_id", "text", (c) => c.primaryKey().references("instances.id").onDelete("cascade"))
    .addColumn("after_user_id", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("users_done", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();

  await sql`update organizations set image_url = null
    where atlassian_cloud_id is not null and image_url = atlassian_site_avatar_url`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: as above.
export async function down(db: Kysely<any>): Promise<void> {
  await sql`update organizations set image_url = atlassian_site_avatar_url
    where atlassian_cloud_id is not null and image_url is null`.execute(db);
  await db.schema.dropTable("site_organization_backfills").execute();
  await db.schema.dropTable("organization_logos").execute();
}
