/**
 * Refresh coordination between real Foyer processes: two `foyer start` children sharing one
 * PostgreSQL schema, and a child that is SIGKILLed at the worst moment (Atlassian has rotated
 * the refresh token, Foyer has not stored it yet). Runs the built CLI, so it builds first.
 */

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  dumpAllTables,
  expireAccessToken,
  newEmulatorAccount,
  seedAtlassianUser,
  startTokenEmulator,
  type TokenEmulator,
} from "@foyer/testkit/atlassian-user";
import { postgresUrl } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { createTestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptTokens } from "./token-store.js";

const ROOT = resolve(import.meta.dirname, "../../../..");
const CLI = join(ROOT, "packages/server/dist/cli/foyer.js");
const FAULT_CHILD = join(ROOT, "packages/testkit/src/fault-child.js");

function freePort(): Promise<number> {
  return new Promise((done) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}

interface Child {
  url: string;
  proc: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

describe.skipIf(!postgresUrl)("refresh across Foyer processes (postgres)", () => {
  let te: TokenEmulator;
  let foyer: TestFoyer;
  let instanceId: string;
  let secretKey: string;
  const children: Child[] = [];
  const seen = new Set<string>();

  /** A `foyer start` child, or with `fault` the same start with that fault point injected. */
  async function startChild(fault?: "crash-after-refresh-response"): Promise<Child> {
    const port = await freePort();
    const schema = foyer.database.schema!;
    let out = "";
    const proc = spawn(process.execPath, fault ? [FAULT_CHILD, fault] : [CLI, "start"], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        // pg passes `options` to the server: this process sees only the test's schema.
        DATABASE_URL: `${postgresUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
        FOYER_ENCRYPTION_KEY: foyer.encryptionKey,
        FOYER_PLATFORM_TOKEN: foyer.platformToken,
        FOYER_PUBLIC_URL: "http://foyer.test",
        FOYER_ATLASSIAN_AUTH_URL: te.emulator.authUrl,
        FOYER_ATLASSIAN_API_URL: te.emulator.apiUrl,
        FOYER_ATLASSIAN_SHARED_CLIENT_ID: te.clientId,
        FOYER_ATLASSIAN_SHARED_CLIENT_SECRET: te.clientSecret,
        FOYER_DATA_DIR: mkdtempSync(join(tmpdir(), "foyer-child-")),
        HOST: "127.0.0.1",
        PORT: String(port),
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    proc.stdout!.on("data", (d) => {
      out += String(d);
    });
    proc.stderr!.on("data", (d) => {
      out += String(d);
    });
    const exited = new Promise<number | null>((done) => proc.once("exit", (code) => done(code)));
    const child: Child = { url: `http://127.0.0.1:${port}`, proc, output: () => out, exited };
    children.push(child);
    const deadline = Date.now() + 20_000;
    while (!out.includes("Foyer is ready")) {
      if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`child did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return child;
  }

  const getToken = (child: Child, userId: string) =>
    fetch(`${child.url}/v1/users/${userId}/oauth_access_tokens/oauth_atlassian`, {
      headers: { authorization: `Bearer ${secretKey}` },
    });

  async function seed() {
    const seeded = await seedAtlassianUser(foyer, te, { instanceId, accountId: newEmulatorAccount(te) });
    seen.add(seeded.tokens.access_token);
    seen.add(seeded.tokens.refresh_token!);
    return seeded;
  }
  const row = (id: string) =>
    foyer.svc.db.kysely
      .selectFrom("external_accounts")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow();

  beforeAll(async () => {
    // The children run the built CLI: bring dist/ up to date (incremental, quick when it is).
    execFileSync(join(ROOT, "node_modules/.bin/tsc"), ["-b"], { cwd: ROOT, stdio: "ignore" });
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing after tsc -b`);
    te = await startTokenEmulator({ refreshLeewaySeconds: 0 });
    foyer = await createTestFoyer("postgres", { atlassian: te.atlassian });
    ({ id: instanceId, secretKey } = await createTestInstance(foyer));
    seen.add(te.clientSecret);
  }, 120_000);

  afterAll(async () => {
    for (const c of children) if (c.proc.exitCode === null) c.proc.kill("SIGKILL");
    await Promise.all(children.map((c) => c.exited));
    await foyer?.close();
    await te?.emulator.close();
  });

  it("20 concurrent requests split over two processes cause exactly one refresh", async () => {
    const [a, b] = await Promise.all([startChild(), startChild()]);
    const { userId, externalAccountId } = await seed();
    await expireAccessToken(foyer, externalAccountId);
    te.emulator.control.resetCounters();
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => getToken(i % 2 ? a! : b!, userId)),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    const tokens = new Set((await Promise.all(responses.map((r) => r.json()))).map((body) => body[0].token));
    expect(tokens.size).toBe(1);
    for (const t of tokens) seen.add(t);
    expect(te.emulator.control.counters().refreshes).toBe(1);
    const stored = decryptTokens(foyer.svc, await row(externalAccountId));
    expect(tokens.has(stored.accessToken!)).toBe(true);
    seen.add(stored.refreshToken!);
  }, 60_000);

  it("a refresher killed before storing the rotation: recovered within Atlassian's leeway", async () => {
    te.emulator.control.settings({ refreshLeewaySeconds: 600 });
    const survivor = children[0]!;
    const doomed = await startChild("crash-after-refresh-response");
    const { userId, externalAccountId } = await seed();
    await expireAccessToken(foyer, externalAccountId);
    te.emulator.control.resetCounters();
    await expect(getToken(doomed, userId)).rejects.toThrow();
    await doomed.exited;
    expect(te.emulator.control.counters().refreshes).toBe(1);
    const orphaned = await row(externalAccountId);
    expect(orphaned.refresh_lock_until).toBeGreaterThan(Date.now());

    // The survivor waits out the dead process's lease, then refreshes with the stored (rotated-out
    // but within the leeway) token: the grant is kept.
    const res = await getToken(survivor, userId);
    expect(res.status).toBe(200);
    seen.add((await res.json())[0].token);
    expect(te.emulator.control.counters().refreshes).toBe(2);
    const after = await row(externalAccountId);
    expect(after.token_version).toBe(orphaned.token_version + 1);
    expect(after.status).toBe("active");
    seen.add(decryptTokens(foyer.svc, after).refreshToken!);
  }, 60_000);

  it("the same crash with no leeway reports oauth_reauthorization_required, never a silent loss", async () => {
    te.emulator.control.settings({ refreshLeewaySeconds: 0 });
    const survivor = children[0]!;
    const doomed = await startChild("crash-after-refresh-response");
    const { userId, externalAccountId } = await seed();
    await expireAccessToken(foyer, externalAccountId);
    await expect(getToken(doomed, userId)).rejects.toThrow();
    await doomed.exited;
    const res = await getToken(survivor, userId);
    expect(res.status).toBe(409);
    expect((await res.json()).errors[0].code).toBe("oauth_reauthorization_required");
    expect((await row(externalAccountId)).status).toBe("reauthorization_required");
  }, 60_000);

  it("no plaintext token or secret in the database or any process's logs", async () => {
    const dump = await dumpAllTables(foyer);
    const logs = children.map((c) => c.output()).join("\n") + foyer.logs();
    expect(seen.size).toBeGreaterThan(8);
    for (const secret of seen) {
      expect(dump.includes(secret), "a secret is stored in plaintext").toBe(false);
      expect(logs.includes(secret), "a secret reached the logs").toBe(false);
    }
  });
});
