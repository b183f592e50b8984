import { keySources } from "../bootstrap.js";
import type { Config } from "../config.js";
import { BackupRefused, backupSqlite, PG_DUMP_ADVICE } from "../db/backup.js";
import { isPostgresUrl } from "../db/database.js";

/** `foyer backup FILE [--force]`: an online copy of a SQLite database; on PostgreSQL, pg_dump's way. */
export async function runBackup(
  config: Config,
  args: string[],
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const force = args.includes("--force");
  const files = args.filter((a) => a !== "--force");
  if (files.length !== 1 || files[0]!.startsWith("--")) return 2;
  if (isPostgresUrl(config.databaseUrl)) {
    err(PG_DUMP_ADVICE);
    return 1;
  }
  if (config.databaseUrl === ":memory:") {
    err("DATABASE_URL is :memory:: there is nothing on disk to back up.");
    return 1;
  }
  try {
    const result = await backupSqlite(config.databaseUrl, files[0]!, force);
    out(
      `Backed up ${config.databaseUrl} to ${result.path} (${result.bytes} bytes, readable by this user only).`,
    );
    const sources = keySources(config);
    const keys = [...result.keys.keys()].map((id) => `${id} (${sources.get(id) ?? "unknown key"})`);
    out(
      keys.length
        ? `Restoring it needs encryption key ${keys.join(", ")}: keep the key apart from the backup.`
        : "It holds no encrypted value yet.",
    );
    return 0;
  } catch (e) {
    if (e instanceof BackupRefused) {
      err(`Nothing was written: ${e.message}`);
      return 1;
    }
    throw e;
  }
}
