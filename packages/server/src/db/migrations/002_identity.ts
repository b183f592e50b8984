import type { Kysely } from "kysely";

/**
 * Users, their Atlassian accounts and tokens, browser clients and sessions, OAuth transactions
 * and per-instance connection settings. Every table carries instance_id, and every lookup
 * filters on it: one instance never reads another's rows.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("social_connections")
    .addColumn("instance_id", "text", (c) => c.notNull().references("instances.id").onDelete("cascade"))
    .addColumn("provider", "text", (c) => c.notNull())
    .addColumn("enabled", "integer", (c) => c.notNull())
    .addColumn("authenticatable", "integer", (c) => c.notNull())
    .addColumn("use_custom_credentials", "integer", (c) => c.notNull())
    .addColumn("client_id", "text")
    .addColumn("client_secret_enc", "text")
    .addColumn("scopes", "text", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("social_connections_pk", ["instance_id", "provider"])
    .execute();

  await db.schema
    .createTable("users")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("instance_id", "text", (c) => c.notNull().references("instances.id").onDelete("cascade"))
    .addColumn("first_name", "text")
    .addColumn("last_name", "text")
    .addColumn("username", "text")
    .addColumn("image_url", "text")
    .addColumn("locale", "text")
    .addColumn("primary_email_address_id", "text")
    .addColumn("public_metadata", "text", (c) => c.notNull())
    .addColumn("private_metadata", "text", (c) => c.notNull())
    .addColumn("unsafe_metadata", "text", (c) => c.notNull())
    .addColumn("last_sign_in_at", "bigint")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("users_instance_created")
    .on("users")
    .columns(["instance_id", "created_at"])
    .execute();

  await db.schema
    .createTable("email_addresses")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("instance_id", "text", (c) => c.notNull().references("instances.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("email_address", "text", (c) => c.notNull())
    .addColumn("verified", "integer", (c) => c.notNull())
    .addColumn("verification_strategy", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("email_addresses_user").on("email_addresses").column("user_id").execute();
  await db.schema
    .createIndex("email_addresses_lookup")
    .on("email_addresses")
    .columns(["instance_id", "email_address"])
    .execute();

  await db.schema
    .createTable("external_accounts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("instance_id", "text", (c) => c.notNull().references("instances.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("provider", "text", (c) => c.notNull())
    .addColumn("provider_user_id", "text", (c) => c.notNull())
    .addColumn("email_address", "text")
    .addColumn("email_verified", "integer", (c) => c.notNull())
    .addColumn("first_name", "text")
    .addColumn("last_name", "text")
    .addColumn("username", "text")
    .addColumn("image_url", "text")
    .addColumn("profile", "text", (c) => c.notNull())
    .addColumn("approved_scopes", "text", (c) => c.notNull())
    .addColumn("sites", "text", (c) => c.notNull())
    .addColumn("last_added_site_id", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("access_token_enc", "text")
    .addColumn("access_token_expires_at", "bigint")
    .addColumn("refresh_token_enc", "text")
    .addColumn("token_version", "integer", (c) => c.notNull())
    .addColumn("refresh_lock_owner", "text")
    .addColumn("refresh_lock_until", "bigint")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addUniqueConstraint("external_accounts_identity", ["instance_id", "provider", "provider_user_id"])
    .execute();
  await db.schema.createIndex("external_accounts_user").on("external_accounts").column("user_id").execute();

  await db.schema
    .createTable("clients")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("instance_id", "text", (c) => c.notNull().references("instances.id").onDelete("cascade"))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("instance_id", "text", (c) => c.notNull().references("instances.id").onDelete("cascade"))
    .addColumn("client_id", "text", (c) => c.notNull().references("clients.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("last_active_at", "bigint", (c) => c.notNull())
    .addColumn("expire_at", "bigint", (c) => c.notNull())
    .addColumn("ended_at", "bigint")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sessions_client").on("sessions").column("client_id").execute();
  await db.schema.createIndex("sessions_user").on("sessions").columns(["user_id", "status"]).execute();

  await db.schema
    .createTable("oauth_transactions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("instance_id", "text", (c) => c.notNull().references("instances.id").onDelete("cascade"))
    .addColumn("state_hash", "text", (c) => c.notNull().unique())
    .addColumn("browser_binding_hash", "text", (c) => c.notNull())
    .addColumn("code_verifier_enc", "text", (c) => c.notNull())
    .addColumn("purpose", "text", (c) => c.notNull())
    .addColumn("user_id", "text")
    .addColumn("session_id", "text")
    .addColumn("redirect_url", "text")
    .addColumn("scopes", "text", (c) => c.notNull())
    .addColumn("redirect_uri", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("error_code", "text")
    .addColumn("created_user_session_id", "text")
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("consumed_at", "bigint")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("oauth_transactions_expiry")
    .on("oauth_transactions")
    .column("expires_at")
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    "oauth_transactions",
    "sessions",
    "clients",
    "external_accounts",
    "email_addresses",
    "users",
    "social_connections",
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
