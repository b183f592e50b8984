import type { Kysely } from "kysely";

/**
 * Foyer as an OAuth 2.1 / OpenID Connect authorization server per instance (issue 19):
 * - `oauth_server_payloads`: everything oidc-provider stores (codes, tokens, grants, sessions,
 *   interactions, dynamically registered clients), one row per (instance, model, id). The id is
 *   kept only as its SHA-256 (`id_hash`): codes and refresh tokens are bearer secrets.
 *   `grant_id` lets a grant's tokens go with it; `account_id`/`client_id` find a user's grants.
 * - `oauth_server_keys`: the instance's signing key for access and ID tokens, apart from the
 *   session signing keys so neither kind of token can pass as the other.
 * - `oauth_applications`: pre-registered clients (the Platform API's `oauth_applications`); a
 *   confidential client's secret is kept as a SHA-256 only, shown once at creation.
 * - `instances.oauth_resources` (JSON list of {resource, name, scopes}) and
 *   `instances.oauth_dynamic_client_registration` (0/1, off by default).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("oauth_server_payloads")
    .addColumn("instance_id", "text", (c) => c.notNull().references("instances.id").onDelete("cascade"))
    .addColumn("model", "text", (c) => c.notNull())
    .addColumn("id_hash", "text", (c) => c.notNull())
    .addColumn("payload_json", "text", (c) => c.notNull())
    .addColumn("grant_id", "text")
    .addColumn("uid", "text")
    .addColumn("user_code", "text")
    .addColumn("account_id", "text")
    .addColumn("client_id", "text")
    .addColumn("expires_at", "bigint")
    .addColumn("consumed_at", "bigint")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("oauth_server_payloads_pk", ["instance_id", "model", "id_hash"])
    .execute();
  await db.schema
    .createIndex("oauth_server_payloads_grant")
    .on("oauth_server_payloads")
    .columns(["instance_id", "grant_id"])
    .execute();
  await db.schema
    .createIndex("oauth_server_payloads_account")
    .on("oauth_server_payloads")
    .columns(["instance_id", "model", "account_id"])
    .execute();
  await db.schema
    .createIndex("oauth_server_payloads_expiry")
    .on("oauth_server_payloads")
    .column("expires_at")
    .execute();

  await db.schema
    .createTable("oauth_server_keys")
    .addColumn("kid", "text", (c) => c.primaryKey())
    .addColumn("instance_id", "text", (c) => c.notNull().references("instances.id").onDelete("cascade"))
    .addColumn("alg", "text", (c) => c.notNull())
    .addColumn("public_jwk", "text", (c) => c.notNull())
    .addColumn("private_jwk_enc", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("oauth_server_keys_instance")
    .on("oauth_server_keys")
    .column("instance_id")
    .execute();

  await db.schema
    .createTable("oauth_applications")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("instance_id", "text", (c) => c.notNull().references("instances.id").onDelete("cascade"))
    .addColumn("client_id", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("public", "integer", (c) => c.notNull())
    .addColumn("client_secret_hash", "text")
    .addColumn("redirect_uris", "text", (c) => c.notNull())
    .addColumn("scopes", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("oauth_applications_instance")
    .on("oauth_applications")
    .column("instance_id")
    .execute();

  await db.schema
    .alterTable("instances")
    .addColumn("oauth_resources", "text", (c) => c.notNull().defaultTo("[]"))
    .execute();
  await db.schema
    .alterTable("instances")
    .addColumn("oauth_dynamic_client_registration", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: as above.
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("instances").dropColumn("oauth_dynamic_client_registration").execute();
  await db.schema.alterTable("instances").dropColumn("oauth_resources").execute();
  await db.schema.dropTable("oauth_applications").execute();
  await db.schema.dropTable("oauth_server_keys").execute();
  await db.schema.dropTable("oauth_server_payloads").execute();
}
