/**
 * `npm run bench`: Foyer measured against the limits of this machine. Every figure is printed as a
 * ratio to a baseline measured in the same run, with its target beside it; the details go to
 * bench/results/latest.json. Load only on 127.0.0.1, every phase bounded in time.
 *
 *   node bench/run.js [--smoke] [--out file.json] [--only signins,mint,oauth,tokens,users,scale,verify,webhooks]
 *                     [--profile dir]   (node --cpu-prof on the single-process Foyer children)
 *
 * PostgreSQL rows run when FOYER_TEST_DATABASE_URL is set (a fresh database each, dropped after).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { postgresBase } from "./lib/databases.js";
import { startEmulator } from "./lib/emulator.js";
import { agent } from "./lib/flow.js";
import { buildRows, formatTable } from "./lib/report.js";
import { log } from "./lib/util.js";
import { benchHello } from "./sections/hello.js";
import { benchServer } from "./sections/server.js";
import { benchVerify } from "./sections/verify.js";
import { benchWebhookSignIns } from "./sections/webhook-sign-ins.js";
import { benchWebhooks } from "./sections/webhooks.js";

const HERE = dirname(fileURLToPath(import.meta.url));

const { values: args } = parseArgs({
  options: {
    smoke: { type: "boolean", default: false },
    out: { type: "string", default: join(HERE, "results", "latest.json") },
    only: { type: "string" },
    profile: { type: "string" },
  },
});

const SETTINGS = args.smoke
  ? {
      verify: { roundMs: 60, rounds: 2 },
      seconds: 1,
      warmupSeconds: 0,
      settleMs: 100,
      signIns: { concurrency: 2, seconds: 1 },
      sessions: 5,
      users: { small: 50, big: 500 },
      webhooks: { events: 30, signInRounds: 1 },
    }
  : {
      verify: { roundMs: 300, rounds: 10 },
      seconds: 5,
      warmupSeconds: 2,
      settleMs: 1000,
      signIns: { concurrency: 16, seconds: 6 },
      sessions: 200,
      users: { small: 1_000, big: 100_000 },
      webhooks: { events: 500, signInRounds: 3 },
    };

async function main() {
  const started = Date.now();
  const only = args.only?.split(",").map((s) => s.trim());
  const opts = {
    ...SETTINGS,
    only,
    profileDir: args.profile ? resolve(args.profile) : undefined,
  };
  const want = (name) => !only || only.includes(name);
  const results = {
    mode: args.smoke ? "smoke" : "full",
    started_at: new Date(started).toISOString(),
    machine: {
      cpus: availableParallelism(),
      cpu_model: cpus()[0]?.model,
      node: process.version,
      loadavg_at_start: loadavg(),
    },
    settings: SETTINGS,
  };

  if (want("verify")) {
    log("1. token verification (single thread)");
    results.verify = await benchVerify(SETTINGS.verify);
  }
  const serverItems = ["mint", "tokens", "signins", "users", "scale"].some(want);
  if (serverItems) {
    log("baseline: bare node:http");
    results.hello = await benchHello(opts);
  }
  if (serverItems || want("webhooks")) {
    const emu = await startEmulator();
    try {
      if (serverItems) {
        results.sqlite = await benchServer("sqlite", emu, opts);
        if (postgresBase) results.postgres = await benchServer("postgres", emu, opts);
        else log("PostgreSQL rows skipped: set FOYER_TEST_DATABASE_URL to run them");
      }
      if (want("webhooks")) {
        log("7. sign-ins with one webhook endpoint against none");
        results.webhook_sign_ins = { sqlite: await benchWebhookSignIns("sqlite", emu, opts) };
        if (postgresBase)
          results.webhook_sign_ins.postgres = await benchWebhookSignIns("postgres", emu, opts);
      }
    } finally {
      await emu.close();
      agent.destroy();
    }
  }
  if (want("webhooks")) {
    log("7. events and webhook delivery (SQLite, in process)");
    results.webhooks = await benchWebhooks(SETTINGS.webhooks);
  }
  results.seconds = (Date.now() - started) / 1000;
  results.rows = buildRows(results);

  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${formatTable(results.rows)}\n`);
  process.stdout.write(
    `\n${results.mode} run, ${results.seconds.toFixed(0)} s on ${results.machine.cpus} cores (${results.machine.cpu_model}), Node ${process.version}; details in ${args.out}\n`,
  );
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
