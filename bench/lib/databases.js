/**
 * A database per Foyer under test: a SQLite file in a temporary directory, or a fresh PostgreSQL
 * database (`create database foyer_bench_…`, dropped afterwards) on the server of
 * FOYER_TEST_DATABASE_URL. Child processes get a plain DATABASE_URL either way.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

export const postgresBase = process.env.FOYER_TEST_DATABASE_URL || undefined;

export async function createDatabase(kind) {
  const dir = mkdtempSync(join(tmpdir(), "foyer-bench-"));
  if (kind === "sqlite") {
    return {
      kind,
      dir,
      url: join(dir, "foyer.db"),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  if (!postgresBase) throw new Error("FOYER_TEST_DATABASE_URL is not set");
  const name = `foyer_bench_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: postgresBase });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(postgresBase);
  url.pathname = `/${name}`;
  return {
    kind,
    dir,
    url: url.href,
    drop: async () => {
      rmSync(dir, { recursive: true, force: true });
      const c = new pg.Client({ connectionString: postgresBase });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}
