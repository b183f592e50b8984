/**
 * Runs once before any test file: finds the PostgreSQL the storage tests use, so that test
 * modules can decide which databases to run on without each opening a connection on import.
 */
import pg from "pg";
import type { TestProject } from "vitest/node";

const DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/test";

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

export default async function setup(project: TestProject): Promise<void> {
  // An explicit URL is used as given: CI sets it, and a wrong one must fail loudly, not skip.
  const explicit = process.env.FOYER_TEST_DATABASE_URL;
  const url = explicit || ((await reachable(DEFAULT_PG)) ? DEFAULT_PG : "");
  if (!url) {
    console.warn(
      "PostgreSQL tests SKIPPED: no PostgreSQL reachable (set FOYER_TEST_DATABASE_URL to run them).",
    );
  }
  project.provide("foyerPostgresUrl", url);
}

declare module "vitest" {
  export interface ProvidedContext {
    /** The PostgreSQL URL storage tests use; empty when none is reachable. */
    foyerPostgresUrl: string;
  }
}
