import { afterEach, describe, expect, it, vi } from "vitest";
import type { Services } from "../services.js";
import { startGrantHealthJobs } from "./grant-health-jobs.js";

/**
 * Services whose database never answers until the test says so: every query's `execute` waits
 * on a gate, and the number of queries started is counted.
 */
function stalledServices() {
  const gates: Array<() => void> = [];
  let queries = 0;
  const chain: unknown = new Proxy(() => {}, {
    get: (_target, prop) =>
      prop === "execute"
        ? () => {
            queries++;
            return new Promise((resolve) => gates.push(() => resolve([])));
          }
        : () => chain,
  });
  const quiet = { info() {}, warn() {}, error() {} };
  const svc = {
    db: { kysely: chain },
    config: { atlassian: { keepAliveMs: 30 * 24 * 3600_000, refreshLeewayMs: 600_000 } },
    now: () => Date.now(),
    log: quiet,
  } as unknown as Services;
  return {
    svc,
    queries: () => queries,
    openGates: () => {
      for (const open of gates.splice(0)) open();
    },
  };
}

describe("startGrantHealthJobs", () => {
  afterEach(() => vi.useRealTimers());

  it("skips ticks while a pass is stuck, instead of queueing passes that then run back to back", async () => {
    vi.useFakeTimers();
    const db = stalledServices();
    const jobs = startGrantHealthJobs(db.svc);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(db.queries()).toBe(1);
    // Six more recovery ticks while the first pass waits on the database.
    await vi.advanceTimersByTimeAsync(30_000);
    expect(db.queries()).toBe(1);
    db.openGates();
    await vi.advanceTimersByTimeAsync(0);
    expect(db.queries()).toBe(1);
    // The next tick runs the next pass.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(db.queries()).toBe(2);
    db.openGates();
    const stopped = jobs.stop();
    await vi.advanceTimersByTimeAsync(0);
    await stopped;
  });
});
