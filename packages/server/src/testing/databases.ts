/**
 * The databases every storage-touching test runs on: SQLite always, PostgreSQL from
 * FOYER_TEST_DATABASE_URL (CI sets it). Each test gets its own SQLite file or PostgreSQL schema,
 * so parallel runs never collide.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { randomToken } from "../crypto/random.js";

export type DbKind = "sqlite" | "postgres";

const DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/test";
const explicitPg = process.env.FOYER_TEST_DATABASE_URL;

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** PostgreSQL URL for tests, or undefined (then the PostgreSQL half is skipped, visibly). */
export const postgresUrl: string | undefined =
  explicitPg ?? ((await reachable(DEFAULT_PG)) ? DEFAULT_PG : undefined);

if (!postgresUrl) {
  console.warn(
    "PostgreSQL tests SKIPPED: no PostgreSQL reachable (set FOYER_TEST_DATABASE_URL to run them).",
  );
}

export const DB_KINDS: DbKind[] = postgresUrl ? ["sqlite", "postgres"] : ["sqlite"];

export interface TestDatabase {
  kind: DbKind;
  url: string;
  /** PostgreSQL schema confining this test's tables. */
  schema: string | undefined;
  drop(): Promise<void>;
}

export async function createTestDatabase(kind: DbKind): Promise<TestDatabase> {
  if (kind === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "foyer-test-"));
    return {
      kind,
      url: join(dir, "foyer.db"),
      schema: undefined,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  if (!postgresUrl) throw new Error("PostgreSQL is not configured for tests");
  const schema = `foyer_t_${randomToken(9)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")}`;
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  await client.query(`create schema ${schema}`);
  await client.end();
  return {
    kind,
    url: postgresUrl,
    schema,
    drop: async () => {
      const c = new pg.Client({ connectionString: postgresUrl });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}
