/**
 * The `--workers` supervisor as an operator meets it: workers killed one after the other, the
 * second right after its replacement started, are restarted, and the primary keeps serving
 * (it used to stop the healthy worker too and exit 0, so a supervisor never restarted it).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { demoSeed, type RunningEmulator, startAtlassianEmulator } from "@foyer/atlassian-emulator";
import { freePort } from "@foyer/testkit/foyer-cli";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CLI = resolve(import.meta.dirname, "../../bin/foyer.js");

/** The pids of a process's children (the workers of a cluster primary). */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync("pgrep", ["-P", String(pid)], { encoding: "utf8" })
      .split("\n")
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("foyer start --workers 2", () => {
  let emulator: RunningEmulator;
  let primary: ChildProcess;
  let output = "";
  let port: number;

  beforeAll(async () => {
    emulator = await startAtlassianEmulator({ seed: demoSeed(), quiet: true });
    port = await freePort();
    primary = spawn(process.execPath, [CLI, "start", "--workers", "2"], {
      env: {
        PATH: process.env.PATH ?? "",
        LOG_LEVEL: "info",
        PORT: String(port),
        FOYER_DATA_DIR: mkdtempSync(join(tmpdir(), "foyer-cluster-")),
        FOYER_ATLASSIAN_AUTH_URL: emulator.authUrl,
        FOYER_ATLASSIAN_API_URL: emulator.apiUrl,
        FOYER_ATLASSIAN_SHARED_CLIENT_ID: "cluster-test",
        FOYER_ATLASSIAN_SHARED_CLIENT_SECRET: "cluster-test-secret",
        FOYER_EXAMPLE: "off",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    primary.stdout!.on("data", (d) => {
      output += d;
    });
    primary.stderr!.on("data", (d) => {
      output += d;
    });
    await until(
      "both workers",
      () => childrenOf(primary.pid!).length === 2 && output.includes("Foyer is ready"),
    );
  }, 60_000);

  afterAll(async () => {
    primary?.kill("SIGKILL");
    for (const pid of childrenOf(primary?.pid ?? 0)) process.kill(pid, "SIGKILL");
    await emulator?.close();
  });

  const healthy = async () =>
    (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.status === 200;

  it("restarts a worker killed twice within 5 s and keeps serving", { timeout: 60_000 }, async () => {
    const original = childrenOf(primary.pid!);
    process.kill(original[0]!, "SIGKILL");
    let replacement = 0;
    await until("a replacement", () => {
      replacement = childrenOf(primary.pid!).find((pid) => !original.includes(pid)) ?? 0;
      return replacement > 0;
    });
    // Kill the replacement right after its start: a quick crash, restarted after a short back-off.
    process.kill(replacement, "SIGKILL");
    const killed = [original[0]!, replacement];
    expect(primary.exitCode).toBeNull();
    await until("serving through the crashes", healthy);
    await until("two workers again", () => {
      const now = childrenOf(primary.pid!);
      return now.length === 2 && !now.some((pid) => killed.includes(pid));
    });
    expect(primary.exitCode).toBeNull();
    expect(await healthy()).toBe(true);
    expect(output).toContain("worker exited unexpectedly; restarting it");
  });
});
