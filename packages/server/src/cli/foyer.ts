#!/usr/bin/env node
import { checkEncryptionKey, createServices, migrateDatabase, resolveSecrets } from "../bootstrap.js";
import { ConfigError, loadConfig } from "../config.js";
import { createLogger } from "../log.js";
import { runBackup } from "./backup.js";
import { isClusterWorker, printsBanner, startClusterPrimary } from "./cluster.js";
import { printKeys } from "./keys.js";
import { parseRekeyArgs, rekeyStatus, runRekey } from "./rekey.js";
import { start } from "./start.js";

const USAGE = `Usage: foyer <command>

Commands:
  start [--workers N]            Start Foyer (migrates the database first); N processes share the
                                 port and the database (default FOYER_WORKERS, else 1)
  migrate                        Bring the database schema up to date and exit
  keys                           Print every instance's publishable and secret keys
  rekey [--batch-size N] [--max-batches N]
                                 Re-encrypt every stored value still under an old encryption key
                                 (FOYER_PREVIOUS_ENCRYPTION_KEYS); safe while Foyer runs, resumable
  rekey --status [--json]        How many values still use old keys, and which keys they need
  backup FILE [--force]          Online backup of a SQLite database to FILE (0600); on PostgreSQL,
                                 prints the pg_dump command to use instead
  emulator atlassian [--port N] [--api-port N] [--host H] [--seed file.json]
                                 Run the offline Atlassian emulator on its own

Configuration comes from the environment; see the README.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "emulator") {
    if (rest[0] !== "atlassian") {
      console.error(USAGE);
      return 2;
    }
    const { runEmulatorCli } = await import("@foyer/atlassian-emulator");
    await runEmulatorCli(rest.slice(1));
    return -1; // keeps running until a signal
  }
  if (!["start", "migrate", "keys", "rekey", "backup"].includes(command ?? "")) {
    console.error(USAGE);
    return command === undefined || command === "--help" || command === "help" ? 0 : 2;
  }

  let config: ReturnType<typeof loadConfig>;
  try {
    const workersFlag = rest.indexOf("--workers");
    const workers = workersFlag >= 0 ? rest[workersFlag + 1] : undefined;
    if (workersFlag >= 0 && (command !== "start" || workers === undefined)) {
      console.error(USAGE);
      return 2;
    }
    config = loadConfig(workers === undefined ? process.env : { ...process.env, FOYER_WORKERS: workers });
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
  const log = createLogger(config.logLevel);

  if (command === "rekey") {
    const args = parseRekeyArgs(rest);
    if (!args) {
      console.error(USAGE);
      return 2;
    }
    // No key check at open: --status must answer when a needed key is missing (that is what it
    // is for), and rekey checks for itself which keys its values need.
    const svc = await createServices(config, log, { migrate: false });
    try {
      if (args.status) {
        await rekeyStatus(svc, args.json, (line) => console.log(line));
        return 0;
      }
      return await runRekey(svc, args, (line) => console.log(line));
    } finally {
      await svc.db.close();
    }
  }

  if (command === "backup") {
    const code = await runBackup(
      resolveSecrets(config, log),
      rest,
      (line) => console.log(line),
      (line) => console.error(line),
    );
    if (code === 2) console.error(USAGE);
    return code;
  }

  if (command === "keys") {
    const svc = await createServices(config, log);
    await printKeys(svc, (line) => console.log(line));
    await svc.db.close();
    return 0;
  }

  if (command === "migrate") {
    const svc = await createServices(config, log, { migrate: false });
    const applied = await migrateDatabase(svc.config.databaseUrl);
    await checkEncryptionKey(svc.db, svc.keyring);
    console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Schema is up to date.");
    await svc.db.close();
    return 0;
  }

  if (config.workers > 1 && !isClusterWorker()) {
    await startClusterPrimary(config, log, config.workers);
    return -1; // the primary keeps running until a signal
  }

  // The handlers go in before start-up: a supervisor may send SIGTERM as soon as the banner is
  // out (or earlier), and the default action would kill the process without an exit code.
  let stop: (() => Promise<void>) | undefined;
  let signalled: string | undefined;
  let stopping = false;
  const shutdown = (signal: string) => {
    signalled = signal;
    if (stopping || !stop) return;
    stopping = true;
    log.info({ signal }, "shutting down: finishing in-flight requests");
    stop().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  stop = await start(config, log, (line) => {
    if (printsBanner()) console.log(line);
  });
  if (signalled) shutdown(signalled);
  return -1;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
