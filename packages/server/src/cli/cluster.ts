import cluster, { type Worker } from "node:cluster";
import { createServices } from "../bootstrap.js";
import type { Config } from "../config.js";
import { isChangeMessage } from "../db/change-feed.js";
import { ensureDefaultInstance } from "../instances/first-run.js";
import type { Logger } from "../log.js";

/**
 * `foyer start --workers N` (or FOYER_WORKERS=N): N processes behind one port with node:cluster.
 * The primary serves nothing itself: it migrates and creates the default instance once (so the
 * workers never race over either), then forks the workers, which each run the ordinary
 * `foyer start` and share the listening socket. Every worker uses the same database: PostgreSQL
 * is the intended scale-out; with SQLite the workers share the file through its WAL.
 */

/** True in a process forked by the primary: it serves like a single-process `foyer start`. */
export function isClusterWorker(): boolean {
  return cluster.isWorker;
}

/** Only the first worker prints the ready banner, so it appears once. */
export function printsBanner(): boolean {
  return !cluster.isWorker || cluster.worker?.id === 1;
}

/** Why this configuration cannot run several workers, or undefined when it can. */
export function clusterRefusal(config: Config): string | undefined {
  if (config.databaseUrl === ":memory:") {
    return "--workers needs a shared database: an in-memory SQLite database exists in one process only.";
  }
  const embeddedEmulator =
    !config.production && !config.atlassian.sharedClientId && !config.atlassian.urlsConfigured;
  if (embeddedEmulator) {
    return (
      "--workers needs an Atlassian every worker can share: the built-in emulator lives inside one process. " +
      "Set FOYER_ATLASSIAN_AUTH_URL/API_URL (e.g. `foyer emulator atlassian`) and " +
      "FOYER_ATLASSIAN_SHARED_CLIENT_ID/SECRET, or start one worker."
    );
  }
  return undefined;
}

/** A worker that dies this soon after its start counts as a crash loop, not a one-off crash. */
const MIN_UPTIME_MS = 5_000;
/** Restarts after a crash wait 1 s, doubling with each crash in a row, up to this. */
const MAX_RESTART_DELAY_MS = 30_000;
/** Quick crashes in a row after which the supervisor gives up and exits non-zero. */
const MAX_QUICK_CRASHES = 8;

/**
 * Runs the primary: prepares the database, forks `workers` processes, restarts one that dies
 * unexpectedly (with a back-off that grows while workers keep dying right after starting, so a
 * broken database or config does not spin), and on SIGINT/SIGTERM lets every worker finish its
 * in-flight requests and exit. It exits non-zero only when it gives up, so a supervisor
 * (systemd, a container runtime) restarting on failure sees the failure. Resolves once the
 * workers are listening.
 */
export async function startClusterPrimary(config: Config, log: Logger, workers: number): Promise<void> {
  const refusal = clusterRefusal(config);
  if (refusal) throw new Error(refusal);

  // Migrations, the key check and the first-run instance happen once, here, before any worker.
  const svc = await createServices(config, log);
  try {
    await ensureDefaultInstance(svc);
  } finally {
    await svc.db.close();
  }

  let stopping: { exitCode: number } | undefined;
  let quickCrashes = 0;
  const startedAt = new Map<Worker, number>();
  const fork = () => {
    const worker = cluster.fork();
    startedAt.set(worker, Date.now());
    return worker;
  };

  const stopAll = (exitCode: number) => {
    if (stopping) return;
    stopping = { exitCode };
    if (startedAt.size === 0) process.exit(exitCode);
    for (const worker of startedAt.keys()) worker.process.kill("SIGTERM");
    // A worker stuck past its graceful stop is not waited for forever.
    setTimeout(() => {
      for (const worker of startedAt.keys()) worker.process.kill("SIGKILL");
      process.exit(exitCode || 1);
    }, 30_000).unref();
  };

  cluster.on("exit", (worker, code, signal) => {
    const uptime = Date.now() - (startedAt.get(worker) ?? 0);
    startedAt.delete(worker);
    if (stopping) {
      if (startedAt.size === 0) process.exit(stopping.exitCode);
      return;
    }
    quickCrashes = uptime < MIN_UPTIME_MS ? quickCrashes + 1 : 0;
    if (quickCrashes > MAX_QUICK_CRASHES) {
      log.fatal({ crashes: quickCrashes }, "workers keep dying right after starting: giving up");
      stopAll(1);
      return;
    }
    const delay = quickCrashes === 0 ? 0 : Math.min(MAX_RESTART_DELAY_MS, 1_000 * 2 ** (quickCrashes - 1));
    log.error(
      { worker: worker.id, pid: worker.process.pid, code, signal, restart_in_ms: delay },
      "worker exited unexpectedly; restarting it",
    );
    setTimeout(() => {
      if (!stopping) fork();
    }, delay);
  });

  // On SQLite the workers hear each other's changes (settings, instances, keys) through here: a
  // worker sends what it committed, the primary hands it to every other worker (change-feed.ts).
  // On PostgreSQL they use NOTIFY and send nothing.
  cluster.on("message", (from, msg) => {
    if (!isChangeMessage(msg)) return;
    for (const worker of startedAt.keys()) {
      // A worker that is stopping may miss it: its successor starts with empty caches anyway.
      if (worker !== from && worker.isConnected()) worker.send(msg, () => {});
    }
  });

  process.on("SIGINT", () => stopAll(0));
  process.on("SIGTERM", () => stopAll(0));

  await new Promise<void>((resolve, reject) => {
    let listening = 0;
    const onListening = () => {
      listening += 1;
      if (listening === workers) {
        cluster.off("listening", onListening);
        log.info({ workers }, "all workers are listening");
        resolve();
      }
    };
    cluster.on("listening", onListening);
    for (let i = 0; i < workers; i++) fork();
    // A worker that fails its start is restarted like any other; one that never manages to
    // start ends in the give-up above.
    void reject;
  });
}
