/**
 * Sign-in throughput, as items 4 and 7 measure it: `concurrency` browsers each running complete
 * sign-ins (flow.js) back to back for `seconds`, and Foyer's own CPU per sign-in from /proc.
 */
import { signIn } from "./flow.js";
import { cpuMs } from "./procs.js";
import { log, pool } from "./util.js";

/**
 * Completed sign-ins per second with `concurrency` browsers for `seconds`, and Foyer's own CPU
 * milliseconds per sign-in (from /proc of the Foyer child). Returns the signed-in browsers too.
 * `warmup: false` skips the warm-up sign-ins (a caller alternating rounds warms up once);
 * `settle` runs after the clock stops and before the CPU is read, so work the sign-ins left
 * behind (webhook deliveries) counts in their CPU but not in their rate.
 */
export async function signIns(foyer, instanceId, { concurrency, seconds, warmup = true, settle }) {
  // Warm-up: a few sign-ins before the clock starts (JIT, first-use paths, connection pools).
  if (warmup) {
    await pool(Array.from({ length: concurrency * 2 }), concurrency, () => signIn(foyer, instanceId));
  }
  const jars = [];
  let failures = 0;
  const cpuBefore = cpuMs(foyer.pid);
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        try {
          jars.push(await signIn(foyer, instanceId));
        } catch (err) {
          failures += 1;
          if (failures === 1) log(`sign-in failed: ${err.message}`);
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  await settle?.();
  const cpu = cpuMs(foyer.pid) - cpuBefore;
  if (failures > 0) throw new Error(`${failures} sign-ins failed`);
  return {
    per_second: jars.length / elapsed,
    completed: jars.length,
    foyer_cpu_ms_per_sign_in: cpu / jars.length,
    foyer_cpu_ms: cpu,
    seconds: elapsed,
    concurrency,
    jars,
  };
}
