import { randomBytes } from "node:crypto";
import { chmodSync, closeSync, existsSync, linkSync, openSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import SQLite from "better-sqlite3";
import { openDatabase } from "./database.js";
import { countValuesByKey, totalsByKey } from "./key-usage.js";

export class BackupRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackupRefused";
  }
}

export interface BackupResult {
  path: string;
  bytes: number;
  /** Key ids the backup's encrypted values need, with how many values each. */
  keys: Map<string, number>;
}

/**
 * `foyer backup FILE` on SQLite: SQLite's online backup (better-sqlite3 `backup()`) while Foyer
 * keeps serving. In WAL mode the copy reads one snapshot without blocking writers; after the
 * first step it copies every remaining page in one step, so a write meanwhile cannot restart it
 * page after page. The copy is written to a private temporary file beside FILE (0600: it holds
 * every encrypted token and the hashed keys) and only then moved into place, so FILE is never a
 * half-written backup; without `force` an existing FILE is never replaced.
 */
export async function backupSqlite(
  databasePath: string,
  file: string,
  force: boolean,
): Promise<BackupResult> {
  const target = resolve(file);
  if (resolve(databasePath) === target)
    throw new BackupRefused("The backup file cannot be the database itself.");
  if (!existsSync(databasePath)) throw new BackupRefused(`There is no database at ${databasePath}.`);
  if (existsSync(target) && !force) {
    throw new BackupRefused(`${target} already exists: choose another file, or pass --force to replace it.`);
  }
  if (!existsSync(dirname(target))) throw new BackupRefused(`The folder ${dirname(target)} does not exist.`);
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString("hex")}.partial`);
  // Created 0600 before SQLite writes a byte into it (SQLite itself would create it 0644).
  closeSync(openSync(temp, "wx", 0o600));
  chmodSync(temp, 0o600);
  try {
    const source = new SQLite(databasePath, { fileMustExist: true });
    try {
      source.pragma("busy_timeout = 30000");
      await source.backup(temp, { progress: () => 0x7fffffff });
    } finally {
      source.close();
    }
    const keys = await keysNeeded(temp);
    for (const extra of [`${temp}-wal`, `${temp}-shm`]) rmSync(extra, { force: true });
    chmodSync(temp, 0o600);
    if (force) renameSync(temp, target);
    else {
      // link() fails if FILE appeared meanwhile: never replace a file the operator did not name with --force.
      try {
        linkSync(temp, target);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "EEXIST") {
          throw new BackupRefused(
            `${target} already exists: choose another file, or pass --force to replace it.`,
          );
        }
        throw err;
      }
      rmSync(temp, { force: true });
    }
    return { path: target, bytes: statSync(target).size, keys };
  } finally {
    rmSync(temp, { force: true });
  }
}

/** What a restore of this copy will need: the key ids of its encrypted values. */
async function keysNeeded(path: string): Promise<Map<string, number>> {
  const db = openDatabase(path);
  try {
    return totalsByKey(await countValuesByKey(db));
  } finally {
    await db.close();
  }
}

/** What `foyer backup` says on PostgreSQL: the documented pg_dump path (docs/keys-and-backups.md). */
export const PG_DUMP_ADVICE = [
  "foyer backup copies a SQLite database. On PostgreSQL, back up with pg_dump (a consistent snapshot while Foyer runs):",
  '  pg_dump --format=custom --no-owner --no-privileges --file=foyer.dump "$DATABASE_URL"',
  "and restore into a new, empty database with:",
  '  createdb foyer_restored && pg_restore --no-owner --no-privileges --dbname="postgres://…/foyer_restored" foyer.dump',
  "Keep FOYER_ENCRYPTION_KEY (and any FOYER_PREVIOUS_ENCRYPTION_KEYS) apart from the dump: the restored",
  "database needs them. See docs/keys-and-backups.md.",
].join("\n");
