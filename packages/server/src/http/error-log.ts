import type { Logger } from "../log.js";

const WINDOW_MS = 10_000;
const MAX_KINDS = 1_000;

/**
 * One stack per kind of error per 10 s, with a count of the ones left out: a database outage
 * used to log one full stack per request (31,000 in 10 s), drowning the line that mattered.
 */
export function rateLimitedErrorLog(
  log: Logger,
): (kind: string, fields: Record<string, unknown>, msg: string) => void {
  const seen = new Map<string, { at: number; suppressed: number }>();
  return (kind, fields, msg) => {
    const now = Date.now();
    const entry = seen.get(kind);
    if (entry && now - entry.at < WINDOW_MS) {
      entry.suppressed++;
      return;
    }
    if (seen.size >= MAX_KINDS) seen.delete(seen.keys().next().value!);
    seen.set(kind, { at: now, suppressed: 0 });
    log.error({ ...fields, kind, suppressed_since_last: entry?.suppressed ?? 0 }, msg);
  };
}
