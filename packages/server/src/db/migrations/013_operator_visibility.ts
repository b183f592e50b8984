import type { Kysely } from "kysely";

/**
 * What operators need to run Foyer safely (issue 14, items 7 and 8):
 * - `secret_keys.key_prefix` / `last4`: what every answer after the creating one shows of a key.
 *   `key_enc` becomes nullable: a production key (`sk_live_`) is shown in full once, so Foyer
 *   keeps no decryptable copy of it, only the SHA-256 used for lookup. Development keys keep
 *   theirs (they stay revealable, as in Clerk, so `npm start` can print them). Rows written before
 *   this migration have no prefix yet; the first read fills it in and drops a production key's
 *   encrypted copy (secret-keys.ts), since a migration has no encryption key to decrypt with.
 * - `social_connections.version` and `instances.version`: the ETag of the settings; a save
 *   carrying `If-Match` is a compare-and-swap on it, so two saves never mix their fields.
 * - `social_connections.last_error_*`: the last thing Atlassian refused about this connection
 *   (wrong Client Secret, …), cleared by the next success, shown to the operator.
 *
 * SQLite cannot drop a NOT NULL, so `secret_keys` is rebuilt (on both databases, one code path;
 * nothing references it and it holds a few rows per instance).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("secret_keys_013")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("instance_id", "text", (c) => c.notNull().references("instances.id").onDelete("cascade"))
    .addColumn("key_hash", "text", (c) => c.notNull().unique())
    .addColumn("key_enc", "text")
    .addColumn("key_prefix", "text")
    .addColumn("last4", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db
    .insertInto("secret_keys_013")
    .columns(["id", "instance_id", "key_hash", "key_enc", "created_at"])
    .expression(
      db.selectFrom("secret_keys").select(["id", "instance_id", "key_hash", "key_enc", "created_at"]),
    )
    .execute();
  await db.schema.dropTable("secret_keys").execute();
  await db.schema.alterTable("secret_keys_013").renameTo("secret_keys").execute();
  await db.schema.createIndex("secret_keys_instance").on("secret_keys").column("instance_id").execute();

  await db.schema
    .alterTable("social_connections")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.alterTable("social_connections").addColumn("last_error_code", "text").execute();
  await db.schema.alterTable("social_connections").addColumn("last_error_detail", "text").execute();
  await db.schema.alterTable("social_connections").addColumn("last_error_at", "bigint").execute();
  await db.schema
    .alterTable("instances")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("instances").dropColumn("version").execute();
  for (const name of ["last_error_at", "last_error_detail", "last_error_code", "version"]) {
    await db.schema.alterTable("social_connections").dropColumn(name).execute();
  }
  // Production keys written since have no encrypted copy: they cannot go back to NOT NULL, and
  // cannot be revealed by the older code either; they are dropped rather than left unreadable.
  await db.deleteFrom("secret_keys").where("key_enc", "is", null).execute();
  await db.schema.alterTable("secret_keys").dropColumn("last4").execute();
  await db.schema.alterTable("secret_keys").dropColumn("key_prefix").execute();
}
