/**
 * Runs once before any test file: finds the PostgreSQL the storage tests use, so that test
 * modules can decide which databases to run on without each opening a connection on import.
 */
import { connect } from "node:net";
import pg from "pg";
import type { TestProject } from "vitest/node";

const DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/test";
const DEFAULT_REDIS = "redis://127.0.0.1:6379";

/** True when a Redis answers PING at `url` within 2 s. */
function redisAnswers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port || 6379), hostname);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (d) => done(String(d).startsWith("+PONG")));
  });
}

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

  // Redis is optional for Foyer; its tests run whenever one answers (CI's machine has one).
  const explicitRedis = process.env.FOYER_TEST_REDIS_URL;
  const redis = explicitRedis || ((await redisAnswers(DEFAULT_REDIS)) ? DEFAULT_REDIS : "");
  if (!redis) console.warn("Redis tests SKIPPED: no Redis reachable (set FOYER_TEST_REDIS_URL to run them).");
  project.provide("foyerRedisUrl", redis);
}

declare module "vitest" {
  export interface ProvidedContext {
    /** The PostgreSQL URL storage tests use; empty when none is reachable. */
    foyerPostgresUrl: string;
    /** The Redis URL the shared rate-limit tests use; empty when none is reachable. */
    foyerRedisUrl: string;
  }
}
