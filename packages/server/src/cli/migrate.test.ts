/**
 * `foyer migrate` and first starts as a deploy pipeline meets them: on an empty database, run
 * twice, against a database a newer Foyer migrated, and three processes starting at once on an
 * empty PostgreSQL (migrated once, one default application).
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createTestDatabase, DB_KINDS, type TestDatabase } from "@foyer/testkit/databases";
import { freePort } from "@foyer/testkit/foyer-cli";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { MIGRATIONS } from "../db/migrations/index.js";

const CLI = resolve(import.meta.dirname, "../../bin/foyer.js");
const KEY = Buffer.alloc(32, 7).toString("base64");

const dropped: TestDatabase[] = [];
afterAll(async () => {
  for (const db of dropped) await db.drop();
});

/** A DATABASE_URL for a fresh, empty database of this kind (a PostgreSQL schema on the path). */
async function emptyDatabase(kind: "sqlite" | "postgres"): Promise<{ url: string; db: TestDatabase }> {
  const db = await createTestDatabase(kind);
  dropped.push(db);
  const url = db.schema ? `${db.url}?options=${encodeURIComponent(`-c search_path=${db.schema}`)}` : db.url;
  return { url, db };
}

function env(databaseUrl: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    LOG_LEVEL: "warn",
    DATABASE_URL: databaseUrl,
    FOYER_ENCRYPTION_KEY: KEY,
    FOYER_PLATFORM_TOKEN: "t".repeat(40),
    FOYER_DATA_DIR: mkdtempSync(join(tmpdir(), "foyer-migrate-")),
    FOYER_EXAMPLE: "off",
  };
}

const migrate = (databaseUrl: string) =>
  spawnSync(process.execPath, [CLI, "migrate"], { env: env(databaseUrl), encoding: "utf8", timeout: 60_000 });

async function query<T>(db: TestDatabase, sqlText: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query(`set search_path to ${db.schema}`);
    return (await client.query(sqlText)).rows as T[];
  } finally {
    await client.end();
  }
}

describe.each(DB_KINDS)("foyer migrate (%s)", (kind) => {
  it("migrates an empty database, then finds it up to date", async () => {
    const { url } = await emptyDatabase(kind);
    const first = migrate(url);
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(`Applied: ${Object.keys(MIGRATIONS).join(", ")}`);
    const second = migrate(url);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain("Schema is up to date.");
    if (kind === "sqlite") expect(statSync(url).mode & 0o777).toBe(0o600);
  });

  it("refuses a database migrated by a newer Foyer, naming the migration", async () => {
    const { url, db } = await emptyDatabase(kind);
    expect(migrate(url).status).toBe(0);
    const insert =
      "insert into kysely_migration (name, timestamp) values ('999_from_the_future', '2030-01-01')";
    if (kind === "postgres") await query(db, insert);
    else {
      const { default: SQLite } = await import("better-sqlite3");
      const file = new SQLite(url);
      file.exec(insert);
      file.close();
    }
    const refused = migrate(url);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("migrated by a newer Foyer (migration 999_from_the_future");
  });
});

describe.skipIf(!DB_KINDS.includes("postgres"))("three first starts at once on an empty PostgreSQL", () => {
  it("migrate once and create one default application", { timeout: 90_000 }, async () => {
    const { url, db } = await emptyDatabase("postgres");
    const shared = env(url);
    const children = await Promise.all(
      [0, 1, 2].map(async () => {
        const child = spawn(process.execPath, [CLI, "start"], {
          env: {
            ...shared,
            PORT: String(await freePort()),
            FOYER_EMULATOR_PORT: String(await freePort()),
            FOYER_PUBLIC_URL: "http://localhost:3000",
          },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        child.stdout!.on("data", (d) => {
          out += d;
        });
        child.stderr!.on("data", (d) => {
          out += d;
        });
        return { child, output: () => out };
      }),
    );
    try {
      const deadline = Date.now() + 60_000;
      while (!children.every((c) => c.output().includes("Platform token:"))) {
        const dead = children.find((c) => c.child.exitCode !== null);
        if (dead) throw new Error(`a start failed:\n${dead.output()}`);
        if (Date.now() > deadline) throw new Error(children.map((c) => c.output()).join("\n---\n"));
        await new Promise((r) => setTimeout(r, 100));
      }
      const apps = await query<{ name: string }>(db, "select name from applications");
      expect(apps).toEqual([{ name: "My App" }]);
      const migrations = await query<{ name: string }>(db, "select name from kysely_migration");
      expect(migrations).toHaveLength(Object.keys(MIGRATIONS).length);
      // Every process shows the same application's keys.
      const keys = children.map((c) => /Publishable key:\s+(\S+)/.exec(c.output())?.[1]);
      expect(new Set(keys).size, children.map((c) => c.output()).join("\n---\n")).toBe(1);
    } finally {
      for (const c of children) c.child.kill("SIGKILL");
    }
  });
});
