import { createClient } from "@redis/client";
import type { WindowStore } from "./window-store.js";

/** A command Redis has not answered by then fails, so the flusher falls back instead of waiting. */
const COMMAND_TIMEOUT_MS = 2_000;
const CONNECT_TIMEOUT_MS = 2_000;
/** Reconnection back-off: doubling from 50 ms, at most this long between tries, for ever. */
const MAX_RECONNECT_DELAY_MS = 2_000;

/**
 * Rate-limit windows in Redis (FOYER_REDIS_URL): one key per bucket and window, INCRBY to add
 * (atomic, answers the global count) and PEXPIRE so old windows delete themselves. One pipeline
 * per flush: one round trip whatever the number of buckets.
 *
 * Redis is optional and may be down: the client connects in the background from the start,
 * keeps reconnecting, and once its first try is over every call made while it is not connected
 * fails at once (no offline queue) instead of queueing, so the caller limits per process
 * meanwhile.
 */
export function redisWindowStore(url: string, keyPrefix: string): WindowStore {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    commandOptions: { timeout: COMMAND_TIMEOUT_MS },
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      reconnectStrategy: (retries) => Math.min(MAX_RECONNECT_DELAY_MS, 50 * 2 ** Math.min(retries, 10)),
    },
  });
  // Connection errors are reported by the calls that fail (and logged by the flusher, once per
  // 10 s); without a listener they would be unhandled 'error' events that end the process.
  client.on("error", () => {});
  let closed = false;
  const keyOf = (bucket: string, windowStart: number) => `${keyPrefix}rate:${windowStart}:${bucket}`;
  const ensureConnecting = () => {
    if (!closed && !client.isOpen)
      return client.connect().then(
        () => {},
        () => {},
      );
    return undefined;
  };
  // The first syncs wait for the first connection (bounded by its timeout), not fail at start.
  let firstTry: Promise<void> | undefined = ensureConnecting()?.finally(() => {
    firstTry = undefined;
  });

  return {
    kind: "redis",
    async add(rows, windowMs) {
      if (!client.isReady && firstTry) {
        // Bounded: a client still retrying after its timeout is treated as down.
        await Promise.race([firstTry, new Promise((r) => setTimeout(r, CONNECT_TIMEOUT_MS).unref())]);
      }
      if (!client.isReady) {
        ensureConnecting();
        throw new Error("Redis is not connected");
      }
      const multi = client.multi();
      for (const r of rows) {
        const key = keyOf(r.bucket, r.windowStart);
        if (r.delta > 0) {
          multi.incrBy(key, r.delta);
          multi.pExpire(key, 2 * windowMs);
        } else {
          multi.get(key);
        }
      }
      const replies = await multi.execAsPipeline();
      const counts: number[] = [];
      let i = 0;
      for (const r of rows) {
        counts.push(Number(replies[i] ?? 0));
        i += r.delta > 0 ? 2 : 1;
      }
      return counts;
    },
    // Every key carries its own expiry.
    deleteExpired: async () => 0,
    async close() {
      closed = true;
      if (client.isOpen) client.destroy();
    },
  };
}
