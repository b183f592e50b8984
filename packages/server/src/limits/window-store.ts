import { type Kysely, sql } from "kysely";
import type { Database } from "../db/schema.js";

/** One bucket's count in one window: what a process adds (`delta`, 0 to only read) and learns. */
export interface WindowRow {
  bucket: string;
  windowStart: number;
  delta: number;
}

/**
 * Where the processes of one deployment add up their rate-limit counts: the database (both
 * dialects) or Redis. Only the background flusher of limits/shared-limits.ts calls it, never a
 * request.
 */
export interface WindowStore {
  readonly kind: "postgres" | "sqlite" | "redis";
  /**
   * Adds each row's delta to its window and answers every row's global count afterwards, in the
   * order given. A window lives for `windowMs` and is still read for one window after.
   */
  add(rows: WindowRow[], windowMs: number): Promise<number[]>;
  /** Deletes at most `limit` windows that ended before `now`; answers how many went. */
  deleteExpired(now: number, limit: number): Promise<number>;
  close(): Promise<void>;
}

const rowKey = (bucket: string, windowStart: number) => `${windowStart}\n${bucket}`;

/**
 * The `rate_limit_windows` table (migration 011), on PostgreSQL or SQLite. Deltas go in one
 * multi-row upsert that returns the summed counts; rows are sorted first so two processes
 * upserting the same buckets lock them in the same order (no deadlock on PostgreSQL). Rows
 * with nothing to add are read with one SELECT, so a refused client costs no write.
 */
export function sqlWindowStore(kysely: Kysely<Database>, kind: "postgres" | "sqlite"): WindowStore {
  return {
    kind,
    async add(rows, windowMs) {
      const counts = new Map<string, number>();
      const writes = rows
        .filter((r) => r.delta > 0)
        .sort((a, b) => (a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : a.windowStart - b.windowStart));
      if (writes.length > 0) {
        const written = await kysely
          .insertInto("rate_limit_windows")
          .values(
            writes.map((r) => ({
              bucket: r.bucket,
              window_start: r.windowStart,
              count: r.delta,
              expires_at: r.windowStart + 2 * windowMs,
            })),
          )
          .onConflict((oc) =>
            oc.columns(["bucket", "window_start"]).doUpdateSet((eb) => ({
              count: eb("rate_limit_windows.count", "+", eb.ref("excluded.count")),
            })),
          )
          .returning(["bucket", "window_start", "count"])
          .execute();
        for (const r of written) counts.set(rowKey(r.bucket, Number(r.window_start)), Number(r.count));
      }
      const reads = rows.filter((r) => r.delta <= 0);
      if (reads.length > 0) {
        const found = await kysely
          .selectFrom("rate_limit_windows")
          .select(["bucket", "window_start", "count"])
          .where((eb) =>
            eb(
              eb.refTuple("bucket", "window_start"),
              "in",
              reads.map((r) => eb.tuple(r.bucket, r.windowStart)),
            ),
          )
          .execute();
        for (const r of found) counts.set(rowKey(r.bucket, Number(r.window_start)), Number(r.count));
      }
      return rows.map((r) => counts.get(rowKey(r.bucket, r.windowStart)) ?? 0);
    },
    async deleteExpired(now, limit) {
      // A bounded batch: a backlog after a long outage is worked off over several rounds.
      const result = await sql`
        delete from rate_limit_windows where (bucket, window_start) in (
          select bucket, window_start from rate_limit_windows where expires_at < ${now} limit ${limit}
        )`.execute(kysely);
      return Number(result.numAffectedRows ?? 0);
    },
    // The database belongs to the process's Services, which close it.
    close: async () => {},
  };
}
