/**
 * autocannon, in this process, against 127.0.0.1 only, for a bounded time. A short warm-up run
 * (JIT, connection set-up, database caches) is discarded before the measured one.
 */
import autocannon from "autocannon";

function run(opts) {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/**
 * Load `url` with `connections` for `seconds`. `next()` (optional) returns per-request overrides
 * ({path, headers, body, method}) so requests can rotate over sessions, users or emails;
 * `beforeMeasure()` runs between the warm-up and the measured run.
 */
export async function load({
  url,
  connections,
  seconds,
  warmupSeconds,
  method = "GET",
  headers,
  body,
  next,
  beforeMeasure,
}) {
  if (!/^http:\/\/127\.0\.0\.1:/.test(url)) throw new Error(`load only on 127.0.0.1 (got ${url})`);
  const requests = next ? [{ setupRequest: (req) => ({ ...req, ...next() }) }] : undefined;
  const opts = { url, connections, method, headers, body, requests, pipelining: 1, timeout: 10 };
  if (warmupSeconds > 0) await run({ ...opts, duration: warmupSeconds });
  beforeMeasure?.();
  const r = await run({ ...opts, duration: seconds });
  const seconds_ = r.duration || seconds;
  return {
    rps: r.requests.total / seconds_,
    total: r.requests.total,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    seconds: seconds_,
  };
}

/** A load result is only a figure if every request succeeded. */
export function checked(what, result) {
  if (result.non2xx > 0 || result.errors > 0 || result.total === 0) {
    throw new Error(
      `${what}: ${result.non2xx} non-2xx answers and ${result.errors} errors out of ${result.total} requests`,
    );
  }
  return result;
}
