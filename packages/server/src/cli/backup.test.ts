/**
 * Backups an operator can restore: `foyer backup` of a SQLite database while Foyer serves
 * requests, and the documented pg_dump / pg_restore path on PostgreSQL. A restored copy in a
 * fresh directory or database is a Foyer whose users are still signed in and whose tokens still
 * decrypt.
 */
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startTokenEmulator, type TokenEmulator } from "@foyer/testkit/atlassian-user";
import { DB_KINDS, postgresUrl, type TestDatabase } from "@foyer/testkit/databases";
import { buildForChildren } from "@foyer/testkit/foyer-children";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { cliEnv, expectDeploymentWorks, runFoyer, seedDeployment } from "@foyer/testkit/seeded-deployment";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomToken } from "../crypto/random.js";
import { PG_DUMP_ADVICE } from "../db/backup.js";

const DOC = readFileSync(resolve(import.meta.dirname, "../../../../docs/keys-and-backups.md"), "utf8");
const key = Buffer.from(randomToken(32), "base64url").toString("base64");
const platformToken = `fyr_plat_${randomToken(32)}`;

let te: TokenEmulator;
beforeAll(async () => {
  buildForChildren();
  te = await startTokenEmulator();
});
afterAll(() => te?.emulator.close());

describe("foyer backup on SQLite", () => {
  let foyer: TestFoyer;
  beforeAll(async () => {
    foyer = await createTestFoyer("sqlite", { encryptionKey: key, platformToken, atlassian: te.atlassian });
  });
  afterAll(() => foyer?.close());

  it("copies the database while Foyer serves, and the copy restored elsewhere works", async () => {
    const d = await seedDeployment(foyer, te);
    const dir = mkdtempSync(join(tmpdir(), "foyer-backup-"));
    const file = join(dir, "foyer-backup.db");
    // Foyer keeps serving (and writing: each mint touches the session) while the backup runs.
    let serving = true;
    const traffic = (async () => {
      let n = 0;
      // Bounded, and yielding to the event loop each time (SQLite answers without ever doing so,
      // and the backup's exit must get through).
      while ((serving || n === 0) && n < 2_000) {
        await new Promise((r) => setImmediate(r));
        const res = await foyer.request(`${d.fapiPath}/v1/client/sessions/${d.signedIn.sessionId}/tokens`, {
          method: "POST",
          headers: { cookie: d.signedIn.cookie },
        });
        expect(res.status).toBe(200);
        n++;
      }
      return n;
    })();
    const run = await runFoyer(["backup", file], cliEnv(foyer.database, { current: key }, platformToken));
    serving = false;
    expect(await traffic).toBeGreaterThan(1);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Backed up ${foyer.database.url} to ${file} (`);
    expect(run.stdout).toMatch(/Restoring it needs encryption key [0-9a-f]{8} \(FOYER_ENCRYPTION_KEY\)/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(["foyer-backup.db"]);

    // Restore as docs/keys-and-backups.md says: the file as foyer.db in a fresh data directory.
    const restoredDir = mkdtempSync(join(tmpdir(), "foyer-restored-"));
    copyFileSync(file, join(restoredDir, "foyer.db"));
    const restored = await createTestFoyer("sqlite", {
      database: {
        kind: "sqlite",
        url: join(restoredDir, "foyer.db"),
        schema: undefined,
        drop: async () => rmSync(restoredDir, { recursive: true, force: true }),
      },
      encryptionKey: key,
      platformToken,
      atlassian: te.atlassian,
    });
    try {
      await expectDeploymentWorks(restored, d);
    } finally {
      await restored.close();
      rmSync(restoredDir, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("never replaces an existing file unless --force", async () => {
    const dir = mkdtempSync(join(tmpdir(), "foyer-backup-"));
    const file = join(dir, "existing.db");
    writeFileSync(file, "keep me");
    const env = cliEnv(foyer.database, { current: key }, platformToken);
    const refused = await runFoyer(["backup", file], env);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`Nothing was written: ${file} already exists`);
    expect(readFileSync(file, "utf8")).toBe("keep me");
    expect(readdirSync(dir)).toEqual(["existing.db"]);
    const forced = await runFoyer(["backup", file, "--force"], env);
    expect(forced.status, forced.stderr).toBe(0);
    expect(readFileSync(file).subarray(0, 15).toString()).toBe("SQLite format 3");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect((await runFoyer(["backup"], env)).status).toBe(2);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe.skipIf(!DB_KINDS.includes("postgres"))("backups on PostgreSQL", () => {
  let foyer: TestFoyer;
  beforeAll(async () => {
    foyer = await createTestFoyer("postgres", { encryptionKey: key, platformToken, atlassian: te.atlassian });
  });
  afterAll(() => foyer?.close());

  it("foyer backup refuses and gives the pg_dump command the docs give", async () => {
    const run = await runFoyer(
      ["backup", "/tmp/never-written.db"],
      cliEnv(foyer.database, { current: key }, platformToken),
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(PG_DUMP_ADVICE);
    expect(existsSync("/tmp/never-written.db")).toBe(false);
    for (const line of PG_DUMP_ADVICE.split("\n").filter((l) => l.startsWith("  "))) {
      expect(DOC).toContain(line.trim());
    }
  });

  it("pg_dump, then pg_restore into a fresh database, gives a Foyer whose tokens still decrypt", async () => {
    const d = await seedDeployment(foyer, te);
    const dir = mkdtempSync(join(tmpdir(), "foyer-pgdump-"));
    const dump = join(dir, "foyer.dump");
    const schema = foyer.database.schema!;
    const target = `foyer_restore_${randomToken(9)
      .toLowerCase()
      .replace(/[^a-z0-9]/g, "")}`;
    const base = new URL(postgresUrl!);
    const restoreUrl = `${base.protocol}//${base.username}@${base.host}/${target}`;
    const sh = (cmd: string, args: string[]) => {
      const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 60_000 });
      expect(r.status, `${cmd}: ${r.stderr}`).toBe(0);
    };
    // The documented commands; --schema only because tests share one database, a schema each.
    sh("pg_dump", [
      "--format=custom",
      "--no-owner",
      "--no-privileges",
      `--schema=${schema}`,
      `--file=${dump}`,
      postgresUrl!,
    ]);
    sh("createdb", ["-h", base.hostname, "-p", base.port || "5432", "-U", base.username, target]);
    let restored: TestFoyer | undefined;
    try {
      sh("pg_restore", ["--no-owner", "--no-privileges", `--dbname=${restoreUrl}`, dump]);
      const database: TestDatabase = { kind: "postgres", url: restoreUrl, schema, drop: async () => {} };
      restored = await createTestFoyer("postgres", {
        database,
        encryptionKey: key,
        platformToken,
        atlassian: te.atlassian,
      });
      await expectDeploymentWorks(restored, d);
    } finally {
      await restored?.close();
      sh("dropdb", ["-h", base.hostname, "-p", base.port || "5432", "-U", base.username, "--force", target]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
