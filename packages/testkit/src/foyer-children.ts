/**
 * Real `foyer start` processes for multi-process tests: each a child running the built CLI (or
 * fault-child.js, the same start with a fault point injected) on the test Foyer's database (its
 * PostgreSQL schema, or its SQLite file, which the test process and the child then share), its
 * encryption key and platform token, talking to the test's emulator.
 */

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { TokenEmulator } from "./atlassian-user.js";
import { postgresUrl } from "./databases.js";
import { freePort } from "./foyer-cli.js";
import type { TestFoyer } from "./harness.js";

const ROOT = resolve(import.meta.dirname, "../../..");
const CLI = join(ROOT, "packages/server/dist/cli/foyer.js");
const FAULT_CHILD = join(ROOT, "packages/testkit/src/fault-child.js");

/** The fault-child.js modes (see there). */
export type ChildFault = "crash-after-refresh-response" | "fail-store-once";

export interface FoyerChild {
  url: string;
  proc: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** The children run the built CLI: brings dist/ up to date (incremental, quick when it is). */
export function buildForChildren(): void {
  execFileSync(join(ROOT, "node_modules/.bin/tsc"), ["-b"], { cwd: ROOT, stdio: "ignore" });
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing after tsc -b`);
}

/** Starts a child and waits until it is ready; `fault` with `faultArgs` selects a fault-child mode. */
export async function startFoyerChild(opts: {
  foyer: TestFoyer;
  te: TokenEmulator;
  fault?: ChildFault;
  faultArgs?: string[];
  env?: Record<string, string>;
}): Promise<FoyerChild> {
  const { foyer, te } = opts;
  const { database } = foyer;
  if (database.kind === "postgres" && !postgresUrl) throw new Error("PostgreSQL is not configured for tests");
  const port = await freePort();
  let out = "";
  const args = opts.fault ? [FAULT_CHILD, opts.fault, ...(opts.faultArgs ?? [])] : [CLI, "start"];
  const proc = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      // pg passes `options` to the server: this process sees only the test's schema. A SQLite
      // URL is the file's path.
      DATABASE_URL: database.schema
        ? `${database.url}?options=${encodeURIComponent(`-c search_path=${database.schema}`)}`
        : database.url,
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
      ...opts.env,
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
  const child: FoyerChild = { url: `http://127.0.0.1:${port}`, proc, output: () => out, exited };
  const deadline = Date.now() + 20_000;
  while (!out.includes("Foyer is ready")) {
    if (Date.now() > deadline || proc.exitCode !== null) {
      proc.kill("SIGKILL");
      throw new Error(`child did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return child;
}

/** SIGKILLs the children still running and waits for every one to be gone. */
export async function stopFoyerChildren(children: FoyerChild[]): Promise<void> {
  for (const c of children)
    if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill("SIGKILL");
  await Promise.all(children.map((c) => c.exited));
}
