/**
 * The delivery worker every Foyer process runs (cli/start.ts starts it, like the grant-health
 * jobs): a pass every POLL_MS, back to back while a pass finds a full batch. Passes never
 * overlap within a process; across processes the claim (webhook-delivery.ts) keeps each attempt
 * to one of them. `stop` waits for the pass under way.
 */
import { randomToken } from "../crypto/random.js";
import type { Services } from "../services.js";
import { pruneEvents } from "./retention.js";
import { type DeliveryOptions, deliverDue } from "./webhook-delivery.js";

const POLL_MS = 1_000;
const BATCH = 50;
/** How often a process prunes expired events (each prune is one bounded batch). */
const PRUNE_EVERY_MS = 10 * 60_000;

export interface DeliveryWorker {
  /** Runs one pass now (after the one under way); tests drive the worker with it. */
  runOnce(): Promise<{ attempted: number; delivered: number }>;
  stop(): Promise<void>;
}

export function startWebhookDelivery(
  svc: Services,
  opts: Partial<DeliveryOptions> & { pollMs?: number; timers?: boolean } = {},
): DeliveryWorker {
  const options: DeliveryOptions = { owner: `pid${process.pid}_${randomToken(6)}`, ...opts };
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  let prunedAt = Number.NEGATIVE_INFINITY;
  const pass = () => {
    const run = running.then(async () => {
      if (svc.now() - prunedAt >= PRUNE_EVERY_MS) {
        prunedAt = svc.now();
        await pruneEvents(svc);
      }
      let total = { attempted: 0, delivered: 0 };
      for (;;) {
        const r = await deliverDue(svc, { ...options, batch: BATCH });
        total = { attempted: total.attempted + r.attempted, delivered: total.delivered + r.delivered };
        if (r.attempted < BATCH || stopped) return total;
      }
    });
    running = run.catch(() => {});
    return run;
  };
  let pending = false;
  const timer =
    opts.timers === false
      ? undefined
      : setInterval(() => {
          if (stopped || pending) return;
          pending = true;
          pass()
            .catch((err) =>
              svc.log.warn({ job: "webhook_delivery", err: String(err) }, "webhook delivery pass failed"),
            )
            .finally(() => {
              pending = false;
            });
        }, opts.pollMs ?? POLL_MS);
  timer?.unref();
  return {
    runOnce: pass,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
