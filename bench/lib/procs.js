/**
 * Child processes the harness starts and stops itself: Foyer (`foyer start`, optionally with
 * `--workers N`) and the bare node:http baseline. CPU time and RSS come from /proc, so they are
 * the child's own, never the load generator's or the emulator's.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, sleep } from "./util.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** BENCH_FOYER_CLI measures another build of the CLI (say, a patched copy) with the same harness. */
export const FOYER_CLI =
  process.env.BENCH_FOYER_CLI || join(ROOT, "packages", "server", "dist", "cli", "foyer.js");
const HELLO = join(ROOT, "bench", "children", "hello.js");

const CLK_TCK = 100; // Linux USER_HZ; /proc/<pid>/stat counts CPU time in these ticks.

/** User + system CPU milliseconds a process has used so far (Linux /proc). */
export function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name may contain spaces: the fields start after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / CLK_TCK;
}

/** Resident set size of a process in MiB (Linux /proc). */
export function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function waitForHttp(url, child, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `${what} exited during start (${child.exitCode ?? child.signalCode}):\n${child.output()}`,
      );
    }
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {}
    if (Date.now() > deadline) throw new Error(`${what} did not become ready at ${url}:\n${child.output()}`);
    await sleep(50);
  }
}

function keepOutput(child) {
  let out = "";
  const add = (chunk) => {
    out = (out + chunk).slice(-20_000);
  };
  child.stdout?.on("data", add);
  child.stderr?.on("data", add);
  child.output = () => out;
  return child;
}

function stopChild(child, timeoutMs = 15_000) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/**
 * Starts `foyer start` as a child process on a free port of 127.0.0.1, on `databaseUrl`, with
 * the shared Atlassian credentials `atlassianFor(publicUrl)` registers at the harness's emulator.
 * `profileDir` adds `node --cpu-prof` (the profile is written when the child stops).
 */
export async function startFoyer({ databaseUrl, atlassianFor, workers = 1, dataDir, profileDir, secrets }) {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const atlassian = atlassianFor(publicUrl);
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATABASE_URL: databaseUrl,
    FOYER_ENCRYPTION_KEY: secrets.encryptionKey,
    FOYER_PLATFORM_TOKEN: secrets.platformToken,
    FOYER_PUBLIC_URL: publicUrl,
    PORT: String(port),
    HOST: "127.0.0.1",
    FOYER_DATA_DIR: dataDir,
    FOYER_ATLASSIAN_AUTH_URL: atlassian.authUrl,
    FOYER_ATLASSIAN_API_URL: atlassian.apiUrl,
    FOYER_ATLASSIAN_SHARED_CLIENT_ID: atlassian.clientId,
    FOYER_ATLASSIAN_SHARED_CLIENT_SECRET: atlassian.clientSecret,
    LOG_LEVEL: "warn",
    // The per-IP and per-instance brakes would answer 429 to one load generator on one address:
    // the bench measures the work behind them (0 turns them off).
    FOYER_RATE_LIMIT_FRONTEND_PER_MINUTE: "0",
    FOYER_RATE_LIMIT_BACKEND_PER_MINUTE: "0",
    // The sign-in brakes stay on (their query is part of a sign-in's cost) but out of reach.
    FOYER_RATE_LIMIT_SIGN_IN_STARTS_PER_INSTANCE_PER_MINUTE: "1000000000",
    FOYER_MAX_PENDING_SIGN_INS_PER_INSTANCE: "1000000000",
  };
  const nodeArgs = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];
  const args = [...nodeArgs, FOYER_CLI, "start", ...(workers > 1 ? ["--workers", String(workers)] : [])];
  const child = keepOutput(spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] }));
  try {
    await waitForHttp(`${publicUrl}/readyz`, child, "foyer start");
    if (workers > 1) {
      // The primary answers nothing itself: wait until every worker has taken a request.
      await sleep(300);
    }
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  return { child, pid: child.pid, port, publicUrl, stop: () => stopChild(child) };
}

/** Fresh secrets for one Foyer database (the encryption key must match across restarts). */
export function newSecrets() {
  return {
    encryptionKey: randomBytes(32).toString("base64"),
    platformToken: `fyr_plat_${randomBytes(32).toString("base64url")}`,
  };
}

/** The baseline: a bare node:http server answering "hello" to everything. */
export async function startHello() {
  const port = await freePort();
  const child = keepOutput(
    spawn(process.execPath, [HELLO, String(port)], { stdio: ["ignore", "pipe", "pipe"] }),
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(url, child, "hello server");
  return { child, pid: child.pid, url, stop: () => stopChild(child) };
}
