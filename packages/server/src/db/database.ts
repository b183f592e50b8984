import { chmodSync, existsSync } from "node:fs";
import SQLite from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import type { Database } from "./schema.js";

export type Dialect = "sqlite" | "postgres";

export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  /** The PostgreSQL schema this connection is confined to, if any. */
  schema: string | undefined;
  close(): Promise<void>;
}

// int8 (bigint) columns hold millisecond times; they fit a JS number, so read them as numbers.
pg.types.setTypeParser(20, (v) => Number(v));

const MAX_CACHED_STATEMENTS = 500;

/**
 * Kysely prepares every query anew, and on SQLite preparing costs as much as running. Queries
 * come from a few dozen builders, so their SQL texts repeat: keep the prepared statements. Safe
 * because better-sqlite3 runs each statement to completion synchronously.
 */
function withStatementCache(sqlite: SQLite.Database) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare: (text: string) => {
      let stmt = cache.get(text);
      if (!stmt) {
        if (cache.size >= MAX_CACHED_STATEMENTS) cache.clear();
        stmt = sqlite.prepare(text);
        cache.set(text, stmt);
      }
      return stmt;
    },
  };
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/**
 * Opens SQLite (a file path or ":memory:") or PostgreSQL (postgres://…). `schema` confines a
 * PostgreSQL connection to one schema, which is how parallel test runs stay apart.
 */
export function openDatabase(url: string, opts: { schema?: string; poolSize?: number } = {}): Db {
  if (isPostgresUrl(url)) {
    const pool = new pg.Pool({
      connectionString: url,
      max: opts.poolSize ?? 10,
      ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
    });
    // An idle client losing its connection must not crash the process; the pool replaces it.
    pool.on("error", () => {});
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { kysely, dialect: "postgres", schema: opts.schema, close: () => kysely.destroy() };
  }
  const sqlite = new SQLite(url);
  if (url !== ":memory:") {
    sqlite.pragma("journal_mode = WAL");
    // The file holds encrypted tokens and hashed keys: readable by Foyer's user only.
    for (const file of [url, `${url}-wal`, `${url}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
  }
  sqlite.pragma("foreign_keys = ON");
  // Another process (foyer migrate, a second worker) may hold the write lock for a moment.
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("synchronous = NORMAL");
  const kysely = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
  });
  return { kysely, dialect: "sqlite", schema: undefined, close: () => kysely.destroy() };
}

/** Readiness: true when the database answers a trivial query. */
export async function databaseAnswers(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db.kysely);
    return true;
  } catch {
    return false;
  }
}
