import { accessSync, chmodSync, constants, existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import SQLite from "better-sqlite3";
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from "kysely";
import pg from "pg";
import type { Logger } from "../log.js";
import { type ChangeFeed, postgresChangeFeed, sqliteChangeFeed } from "./change-feed.js";
import type { Database } from "./schema.js";

export type Dialect = "sqlite" | "postgres";

export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  /** The PostgreSQL schema this connection is confined to, if any. */
  schema: string | undefined;
  /** Changes other processes must hear of (see change-feed.ts); closed with the database. */
  changes: ChangeFeed;
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

/**
 * Every transaction on SQLite begins IMMEDIATE: it takes the write lock at BEGIN, where the busy
 * handler (busy_timeout) waits for another process's writer to finish. A deferred transaction
 * that reads first and then writes, while another worker wrote the file in between, cannot be
 * upgraded: SQLite answers SQLITE_BUSY at once, without calling the busy handler, because
 * waiting could never help (its snapshot is stale). With `--workers 2` that failed ~9 % of
 * concurrent sign-ins with `database is locked`. Foyer's transactions are short and nearly all
 * write, so taking the lock up front costs nothing; plain reads are not transactions and still
 * run concurrently with a writer (WAL). The wait blocks the waiting worker's event loop
 * (better-sqlite3 is synchronous), for as long as the other worker's short write takes.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

/**
 * Opens a SQLite file for reading and writing, or says which path is wrong and why. SQLite's own
 * "unable to open database file" names no path, and a file Foyer may only read would open
 * read-only without a word and fail every sign-in later.
 */
function openSqliteFile(url: string): SQLite.Database {
  const path = resolve(url);
  const problem = (what: string, cause?: unknown) =>
    new Error(
      `Foyer cannot use the SQLite database ${path}: ${what}. Check DATABASE_URL (or FOYER_DATA_DIR) and that ` +
        "the user Foyer runs as may write there.",
      { cause },
    );
  // SQLite writes its -wal and -shm files beside the database, so the directory must be writable too.
  for (const [target, what] of [
    [dirname(path), `its directory ${dirname(path)}`],
    [path, "the file"],
  ] as const) {
    if (target === path && !existsSync(path)) continue;
    try {
      accessSync(target, constants.W_OK);
    } catch (err) {
      const code = (err as { code?: string }).code;
      const why =
        code === "ENOENT"
          ? "does not exist"
          : code === "EROFS"
            ? "is on a read-only file system"
            : "is not writable";
      throw problem(`${what} ${why}`, err);
    }
  }
  let sqlite: SQLite.Database;
  try {
    sqlite = new SQLite(path);
    sqlite.pragma("journal_mode = WAL");
  } catch (err) {
    throw problem((err as Error).message, err);
  }
  // The file holds encrypted tokens and hashed keys: readable by Foyer's user only. SQLite gives
  // the -wal and -shm files it creates later the database file's mode.
  for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
  return sqlite;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/**
 * Opens SQLite (a file path or ":memory:") or PostgreSQL (postgres://…). `schema` confines a
 * PostgreSQL connection to one schema, which is how parallel test runs stay apart.
 */
export function openDatabase(
  url: string,
  opts: { schema?: string; poolSize?: number; timeoutMs?: number | null; log?: Logger } = {},
): Db {
  // A stalled or stopped database must fail requests fast (and retryably), not hold them.
  // `null`: no query timeout, for migrations (an index on a big table may take minutes).
  const timeoutMs = opts.timeoutMs === undefined ? 5_000 : opts.timeoutMs;
  if (isPostgresUrl(url)) {
    const pool = new pg.Pool({
      connectionString: url,
      max: opts.poolSize ?? 10,
      connectionTimeoutMillis: timeoutMs ?? 30_000,
      // The client gives up on a query the server never answers (a stalled network or server).
      ...(timeoutMs !== null ? { query_timeout: timeoutMs } : {}),
      idleTimeoutMillis: 30_000,
      ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
    });
    // A client losing its connection must not crash the process: the pool replaces an idle one,
    // and a busy one's query fails (a 503) with its own error. Without a listener on every
    // client, a database restart during a query was an unhandled 'error' event.
    pool.on("error", () => {});
    pool.on("connect", (client) => client.on("error", () => {}));
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const changes = postgresChangeFeed({
      connectionString: url,
      schema: opts.schema,
      timeoutMs: timeoutMs ?? 30_000,
      onListenerState: (state, err) => {
        if (state === "lost") {
          opts.log?.warn(
            { err },
            "lost the foyer_changes listener; reconnecting (until then other processes' changes show after the cache TTL)",
          );
        } else opts.log?.debug("listening on foyer_changes");
      },
    });
    return {
      kysely,
      dialect: "postgres",
      schema: opts.schema,
      changes,
      close: async () => {
        await changes.close();
        await kysely.destroy();
      },
    };
  }
  const sqlite = url === ":memory:" ? new SQLite(url) : openSqliteFile(url);
  sqlite.pragma("foreign_keys = ON");
  // Another process (foyer migrate, a second worker) may hold the write lock for a moment.
  sqlite.pragma(`busy_timeout = ${Math.round(timeoutMs ?? 30_000)}`);
  sqlite.pragma("synchronous = NORMAL");
  const kysely = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }),
  });
  const changes = sqliteChangeFeed();
  return {
    kysely,
    dialect: "sqlite",
    schema: undefined,
    changes,
    close: async () => {
      await changes.close();
      await kysely.destroy();
    },
  };
}

/** Why the readiness probe failed: the database does not answer, or answers but cannot store. */
export type DatabaseFault = "unreachable" | "read_only" | "full";

/**
 * Readiness: undefined when the database can be read AND written, else what is wrong. A read
 * alone passes on a full disk or a read-only SQLite file, while every sign-in fails; the probe
 * writes one row instead (on SQLite, one more frame of the write-ahead log, which a full disk or
 * a file that stopped taking writes refuses as it refuses a sign-in).
 */
export async function probeDatabase(db: Db, now: number): Promise<DatabaseFault | undefined> {
  const value = String(now);
  try {
    await db.kysely
      .insertInto("foyer_meta")
      .values({ key: "readiness_probe", value })
      .onConflict((oc) => oc.column("key").doUpdateSet({ value }))
      .execute();
    return undefined;
  } catch (err) {
    return storageFault(err);
  }
}

function storageFault(err: unknown): DatabaseFault {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    const text = `${typeof code === "string" ? code : ""} ${typeof message === "string" ? message : ""}`;
    if (/SQLITE_FULL|disk is full|53100/.test(text)) return "full";
    // IOERR_WRITE: the file or its file system stopped taking writes under an open connection.
    if (/SQLITE_READONLY|SQLITE_IOERR_WRITE|readonly database|25006/.test(text)) return "read_only";
  }
  return "unreachable";
}

/** True when the database can be read and written (see probeDatabase). */
export async function databaseAnswers(db: Db, now: number): Promise<boolean> {
  return (await probeDatabase(db, now)) === undefined;
}
