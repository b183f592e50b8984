/**
 * 7. The cost the outbox adds to a sign-in: the full sign-in of item 4 (start → emulator →
 * callback → session, `concurrency` browsers) on an instance with one enabled webhook endpoint
 * subscribed to every event type, against the same sign-in on an instance of the same Foyer
 * without endpoints. Both write their events (every change does); the endpoint adds the
 * messages, the signed POSTs to a loopback receiver in this process and their log.
 *
 * Rounds alternate between the two instances (and which goes first) so neither gets the quieter
 * moment of a loaded machine. Each round waits for the deliveries its sign-ins left behind, and
 * their CPU counts in the round's CPU per sign-in (the rate counts only the sign-ins).
 */
import { createServer } from "node:http";
import { createDatabase } from "../lib/databases.js";
import { platform, signIn } from "../lib/flow.js";
import { newSecrets, startFoyer } from "../lib/procs.js";
import { signIns } from "../lib/sign-ins.js";
import { log, median, pool, sleep } from "../lib/util.js";

/** Longer than the delivery worker's poll (1 s): a gap this long means the outbox is drained. */
const QUIET_MS = 1_500;
const MAX_DRAIN_MS = 60_000;

async function countingReceiver() {
  const rx = { deliveries: 0, lastAt: 0 };
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      rx.deliveries += 1;
      rx.lastAt = performance.now();
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return {
    rx,
    url: `http://127.0.0.1:${server.address().port}/hook`,
    close: () => new Promise((r) => server.close(r)),
  };
}

function summary(rounds) {
  const completed = rounds.reduce((n, r) => n + r.completed, 0);
  const cpu = rounds.reduce((n, r) => n + r.foyer_cpu_ms, 0);
  return {
    per_second: median(rounds.map((r) => r.per_second)),
    rounds: rounds.map((r) => r.per_second),
    completed,
    foyer_cpu_ms_per_sign_in: cpu / completed,
  };
}

export async function benchWebhookSignIns(kind, emu, { signIns: load, webhooks }) {
  const db = await createDatabase(kind);
  const secrets = newSecrets();
  const receiver = await countingReceiver();
  let foyer;
  try {
    foyer = await startFoyer({ databaseUrl: db.url, atlassianFor: emu.appFor, dataDir: db.dir, secrets });
    const plat = platform(foyer, secrets.platformToken);
    const plain = await plat.defaultInstance();
    const hooked = await plat.newInstance("Bench sign-ins with a webhook endpoint");
    const endpoint = await plat.call(`/instances/${hooked.id}/webhook_endpoints`, {
      method: "POST",
      json: { url: receiver.url, description: "bench receiver" },
    });
    if (!endpoint.enabled || endpoint.event_types.length !== 0) {
      throw new Error(`the bench endpoint is not enabled for every event: ${JSON.stringify(endpoint)}`);
    }
    let quietFrom = 0;
    const drain = async () => {
      const deadline = performance.now() + MAX_DRAIN_MS;
      for (;;) {
        await sleep(250);
        if (performance.now() - Math.max(receiver.rx.lastAt, quietFrom) >= QUIET_MS) return;
        if (performance.now() > deadline) throw new Error("webhook deliveries did not drain");
      }
    };
    const round = async (instance) => {
      quietFrom = performance.now();
      const { jars: _, ...figures } = await signIns(foyer, instance.id, {
        ...load,
        warmup: false,
        settle: drain,
      });
      return figures;
    };
    // Warm both instances (the first sign-in creates the user: user.created, external_account.created).
    for (const instance of [hooked, plain]) {
      await pool(Array.from({ length: load.concurrency * 2 }), load.concurrency, () =>
        signIn(foyer, instance.id),
      );
    }
    quietFrom = performance.now();
    await drain();
    const withEndpoint = [];
    const without = [];
    const deliveriesBefore = receiver.rx.deliveries;
    for (let i = 0; i < webhooks.signInRounds; i++) {
      log(`${kind}: sign-ins with and without a webhook endpoint, round ${i + 1}/${webhooks.signInRounds}`);
      if (i % 2 === 0) {
        withEndpoint.push(await round(hooked));
        without.push(await round(plain));
      } else {
        without.push(await round(plain));
        withEndpoint.push(await round(hooked));
      }
    }
    const hookedSummary = summary(withEndpoint);
    const deliveries = receiver.rx.deliveries - deliveriesBefore;
    if (deliveries === 0) throw new Error("the endpoint received no deliveries during the sign-ins");
    return {
      kind,
      concurrency: load.concurrency,
      seconds_per_round: load.seconds,
      with_endpoint: {
        ...hookedSummary,
        deliveries,
        deliveries_per_sign_in: deliveries / hookedSummary.completed,
      },
      without_endpoint: summary(without),
    };
  } finally {
    await foyer?.stop();
    await receiver.close();
    await db.drop();
  }
}
