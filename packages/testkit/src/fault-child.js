// `foyer start` with fault points injected through Services, for tests that need a real process
// to fail at one precise moment (production code reads no test switch from the environment).
// Usage: node fault-child.js <fault> [count]; configuration comes from the environment as for
// `foyer start`.
// Plain JavaScript on the built server, because it runs as a child process under node itself.
import { start } from "../../server/dist/cli/start.js";
import { loadConfig } from "../../server/dist/config.js";
import { createLogger } from "../../server/dist/log.js";

const name = process.argv[2] ?? "";
const count = Number(process.argv[3] ?? 1);

/**
 * Holds each refresh Atlassian has answered until `count` of them have been, then SIGKILLs the
 * process: no handler runs, no lease is released, nothing is written. A crash, not a shutdown,
 * that loses `count` rotations at once.
 */
function crashAfterResponses() {
  let answered = 0;
  return () => {
    answered += 1;
    if (answered >= count) process.kill(process.pid, "SIGKILL");
    return new Promise(() => {});
  };
}

/** The first write of each account's rotated tokens fails, as if the database were away. */
function failFirstStore() {
  const failed = new Set();
  return (externalAccountId) => {
    if (failed.has(externalAccountId)) return;
    failed.add(externalAccountId);
    throw new Error("injected: the database refused the write");
  };
}

const FAULTS = {
  "crash-after-refresh-response": () => ({ afterRefreshResponse: crashAfterResponses() }),
  "fail-store-once": () => ({ beforeStoreRotated: failFirstStore() }),
};

const faults = FAULTS[name]?.();
if (!faults) {
  console.error(`unknown fault "${name}"; one of: ${Object.keys(FAULTS).join(", ")}`);
  process.exit(2);
}
const config = loadConfig(process.env);
const stop = await start(config, createLogger(config.logLevel), (line) => console.log(line), { faults });
process.on("SIGTERM", () => stop().then(() => process.exit(0)));
