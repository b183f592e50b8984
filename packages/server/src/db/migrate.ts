import { Migrator, sql } from "kysely";
import type { Db } from "./database.js";
import { MIGRATIONS } from "./migrations/index.js";

/**
 * The schema Foyer's tables live in: the configured one, else PostgreSQL's current schema (the
 * first on the search_path, e.g. from `?options=-c search_path=…`). Kysely must be told: left to
 * itself it takes another schema's bookkeeping tables for its own and then fails to find them.
 */
async function tablesSchema(db: Db): Promise<string | undefined> {
  if (db.schema || db.dialect !== "postgres") return db.schema;
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db.kysely);
  return rows[0]?.schema;
}

async function migratorFor(db: Db): Promise<{ migrator: Migrator; schema: string | undefined }> {
  const schema = await tablesSchema(db);
  const migrator = new Migrator({
    db: db.kysely,
    provider: { getMigrations: async () => MIGRATIONS },
    // Keep the migration bookkeeping in the same schema as the tables it describes.
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  return { migrator, schema };
}

/**
 * Brings the schema up to date. Safe to run from several processes at once: Kysely takes a
 * migration lock (a PostgreSQL advisory lock; SQLite's write lock), so each migration runs
 * exactly once and the others wait. A database migrated by a newer Foyer is refused by name:
 * running older code against a newer schema could write rows the newer code misreads.
 */
export async function migrateToLatest(db: Db): Promise<string[]> {
  if (db.dialect !== "postgres") return migrateUnlocked(db);
  // Kysely's own lock table is itself created racily: on an empty database several processes
  // starting at once fail on it. One advisory lock per schema, held on one connection around the
  // whole run, makes the others wait and then find nothing left to do.
  return db.kysely.connection().execute(async (conn) => {
    const key = sql`hashtext('foyer_migrations:' || current_schema())`;
    await sql`select pg_advisory_lock(${key})`.execute(conn);
    try {
      return await migrateUnlocked(db);
    } finally {
      await sql`select pg_advisory_unlock(${key})`.execute(conn);
    }
  });
}

async function migrateUnlocked(db: Db): Promise<string[]> {
  const { migrator, schema } = await migratorFor(db);
  const known = new Set(Object.keys(MIGRATIONS));
  const unknown = (await executedMigrationNames(db, schema)).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new Error(
      `This database was migrated by a newer Foyer (migration ${unknown.join(", ")} is unknown to this ` +
        "version). Run the Foyer version that migrated it, or restore a backup taken before the upgrade.",
    );
  }
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    const failed = results?.find((r) => r.status === "Error");
    if (!error) return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
    // Kysely introspects every schema of the database before migrating; a schema dropped by
    // someone else at that moment fails the catalog query. That is not our migration failing:
    // try again (each migration still runs once, under the lock).
    if (!failed && attempt < 3 && /does not exist/.test(String(error))) {
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      continue;
    }
    throw new Error(`Migration ${failed?.migrationName ?? "?"} failed: ${String(error)}`, { cause: error });
  }
}

/** The names in Kysely's migration table, or none when the database is empty. */
async function executedMigrationNames(db: Db, schema: string | undefined): Promise<string[]> {
  try {
    const table = schema ? db.kysely.withSchema(schema) : db.kysely;
    // biome-ignore lint/suspicious/noExplicitAny: Kysely's own bookkeeping table is not in our schema type.
    const rows = await (table as any).selectFrom("kysely_migration").select("name").execute();
    return (rows as Array<{ name: string }>).map((r) => r.name);
  } catch {
    return [];
  }
}
