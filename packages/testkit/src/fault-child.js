// `foyer start` with fault points injected through Services, for tests that need a real process
// to fail at one precise moment (production code reads no test switch from the environment).
// Usage: node fault-child.js <fault>; configuration comes from the environment as for `foyer start`.
// Plain JavaScript on the built server, because it runs as a child process under node itself.
import { start } from "../../server/dist/cli/start.js";
import { loadConfig } from "../../server/dist/config.js";
import { createLogger } from "../../server/dist/log.js";

const FAULTS = {
  // SIGKILL: no handler runs, no lease is released, nothing is written: a crash, not a shutdown.
  "crash-after-refresh-response": { afterRefreshResponse: () => process.kill(process.pid, "SIGKILL") },
};

const name = process.argv[2] ?? "";
const faults = FAULTS[name];
if (!faults) {
  console.error(`unknown fault "${name}"; one of: ${Object.keys(FAULTS).join(", ")}`);
  process.exit(2);
}
const config = loadConfig(process.env);
const stop = await start(config, createLogger(config.logLevel), (line) => console.log(line), { faults });
process.on("SIGTERM", () => stop().then(() => process.exit(0)));
