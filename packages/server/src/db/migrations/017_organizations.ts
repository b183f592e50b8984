import type { Kysely } from "kysely";

/**
 * Tenancy from Atlassian sites (issue 18):
 * - `instances.allowed_atlassian_sites`: JSON array of cloud ids and site URLs (normalised); an
 *   empty array lets every site in. A grant that covers none of them signs nobody up or in.
 * - `instances.organizations_from_sites`: `off` | `auto` (one organization per Atlassian site).
 * - `organizations` and `organization_memberships`, in Clerk's model. A site organization
 *   carries its site's cloud id, unique per instance: binding is by cloud id, never by URL or
 *   name (both change). A membership's `source` says whether site access made it (and so ends
 *   it when the access is lost) or an API call did (and only an API call ends it).
 * - `sessions.active_organization_id`: the session's active organization (Clerk's
 *   `last_active_organization_id`), carried in its tokens while the user is a member.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("instances")
    .addColumn("allowed_atlassian_sites", "text", (c) => c.notNull().defaultTo("[]"))
    .execute();
  await db.schema
    .alterTable("instances")
    .addColumn("organizations_from_sites", "text", (c) => c.notNull().defaultTo("off"))
    .execute();

  await db.schema
    .createTable("organizations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("instance_id", "text", (c) => c.notNull().references("instances.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("slug", "text", (c) => c.notNull())
    .addColumn("image_url", "text")
    .addColumn("max_allowed_memberships", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("admin_delete_enabled", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("public_metadata", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("private_metadata", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("created_by", "text")
    .addColumn("atlassian_cloud_id", "text")
    .addColumn("atlassian_site_url", "text")
    .addColumn("atlassian_site_name", "text")
    .addColumn("atlassian_site_avatar_url", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addUniqueConstraint("organizations_slug", ["instance_id", "slug"])
    .addUniqueConstraint("organizations_atlassian_site", ["instance_id", "atlassian_cloud_id"])
    .execute();
  await db.schema
    .createIndex("organizations_instance_created")
    .on("organizations")
    .columns(["instance_id", "created_at"])
    .execute();

  await db.schema
    .createTable("organization_memberships")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("instance_id", "text", (c) => c.notNull().references("instances.id").onDelete("cascade"))
    .addColumn("organization_id", "text", (c) =>
      c.notNull().references("organizations.id").onDelete("cascade"),
    )
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("public_metadata", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("private_metadata", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addUniqueConstraint("organization_memberships_member", ["organization_id", "user_id"])
    .execute();
  await db.schema
    .createIndex("organization_memberships_user")
    .on("organization_memberships")
    .columns(["user_id", "created_at"])
    .execute();
  await db.schema
    .alterTable("sessions")
    // No foreign key: SQLite cannot drop a column that has one (down()); the mint only names an
    // organization the user is still a member of, and deletions clear it (organizations.ts).
    .addColumn("active_organization_id", "text")
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("sessions").dropColumn("active_organization_id").execute();
  await db.schema.dropTable("organization_memberships").execute();
  await db.schema.dropTable("organizations").execute();
  await db.schema.alterTable("instances").dropColumn("organizations_from_sites").execute();
  await db.schema.alterTable("instances").dropColumn("allowed_atlassian_sites").execute();
}
