/**
 * The databases every storage-touching test runs on: SQLite always, PostgreSQL from
 * FOYER_TEST_DATABASE_URL (CI sets it) or the local default when it answers. Each test gets its own SQLite file or PostgreSQL schema,
 * so parallel runs never collide.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { inject } from "vitest";
import { randomToken } from "../../server/src/crypto/random.js";

export type DbKind = "sqlite" | "postgres";

/**
 * PostgreSQL URL for tests, or undefined (then the PostgreSQL half is skipped, visibly). Found
 * once per run by the global set-up (`global-setup.ts`), so importing this module opens no
 * connection.
 */
export const postgresUrl: string | undefined = inject("foyerPostgresUrl") || undefined;

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
