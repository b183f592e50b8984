import type { Logger } from "../log.js";
import type { WindowRow, WindowStore } from "./window-store.js";

/**
 * Rate limits shared by every process of a deployment, without a database round trip on the
 * request path.
 *
 * Each limit counts per key ("bucket") in minute windows, estimated as a sliding window: the
 * previous window's count weighted by how much of it still overlaps the last minute, plus the
 * current one's. Each process counts locally; a background flusher (every SYNC_INTERVAL_MS, and
 * at once when a key is new, has gathered a tenth of its limit, nears the limit, or a failure is
 * counted) adds the local deltas to the shared store (the `rate_limit_windows` table, or Redis)
 * with one atomic upsert that answers the global counts. A request is refused when the global
 * count at the last sync plus the local counts not yet synced reach the limit.
 *
 * Bounded overshoot: a process does not see what the others accepted since its last sync, so
 * with N processes the sum may pass a limit by about N × r × T, where r is the rate one process
 * accepts on that key and T the time between its syncs: at most SYNC_INTERVAL_MS (+ one round
 * trip), and about one round trip once the key nears its limit (every accepted request then
 * triggers a sync). One process alone is exact.
 *
 * The store failing (database or Redis down or stalled) never fails a request: the process
 * keeps limiting on what it knows (last global counts plus its own), logs once per 10 s, keeps
 * retrying every interval, and adds what it counted meanwhile when the store answers again.
 */
export const WINDOW_MS = 60_000;
export const SYNC_INTERVAL_MS = 200;
/** A key not synced for this long is read again at the next sync when it is used. */
const REFRESH_MS = 1_000;
const CLEANUP_INTERVAL_MS = 60_000;
const CLEANUP_BATCH = 1_000;
const MAX_ROWS_PER_STATEMENT = 500;
const LOG_EVERY_MS = 10_000;
const MAX_KEY_LENGTH = 200;
export const MAX_KEYS_PER_LIMIT = 100_000;

/** One window's count as this process knows it. */
interface Slot {
  /** The global count answered by the store at the last sync. */
  synced: number;
  /** Counted here and being added by the sync in flight. */
  inflight: number;
  /** Counted here since. */
  pending: number;
  /** False until the store has answered for this window (a key new to this process). */
  known: boolean;
}

interface Entry {
  key: string;
  window: number;
  cur: Slot;
  prev: Slot;
  syncedAt: number;
}

const slot = (): Slot => ({ synced: 0, inflight: 0, pending: 0, known: false });
const total = (s: Slot) => s.synced + s.inflight + s.pending;

/** One limit (e.g. requests per client IP on the Frontend API), `perMinute` per key. */
export class WindowCounter {
  readonly entries = new Map<string, Entry>();
  readonly dirty = new Set<Entry>();
  private readonly step: number;

  constructor(
    readonly name: string,
    readonly perMinute: number,
    private readonly shared: SharedLimits,
    private readonly maxKeys = MAX_KEYS_PER_LIMIT,
  ) {
    this.step = Math.max(1, Math.floor(perMinute / 10));
  }

  /**
   * Counts one request for `key` unless that would pass the limit. Answers undefined when
   * counted, or the Retry-After (seconds) when refused (a refused request is not counted).
   */
  take(key: string): number | undefined {
    if (this.perMinute <= 0) return undefined;
    const t = this.shared.now();
    const e = this.entry(key, t);
    const estimate = this.estimate(e, t);
    if (estimate + 1 > this.perMinute) {
      this.touch(e, t, estimate, false);
      return this.retryAfter(e, t);
    }
    e.cur.pending++;
    this.touch(e, t, estimate + 1, e.cur.pending >= this.step || estimate + 1 >= this.perMinute * 0.8);
    return undefined;
  }

  /** The Retry-After (seconds) while `key` has spent its limit, else undefined; counts nothing. */
  blocked(key: string): number | undefined {
    if (this.perMinute <= 0) return undefined;
    const t = this.shared.now();
    const e = this.entry(key, t);
    const estimate = this.estimate(e, t);
    this.touch(e, t, estimate, false);
    return estimate + 1 > this.perMinute ? this.retryAfter(e, t) : undefined;
  }

  /**
   * Counts one failure for `key` and says whether it was the one that spent the limit (so an
   * episode is reported once per process, not once per request). Synced at once.
   */
  fail(key: string): boolean {
    if (this.perMinute <= 0) return false;
    const t = this.shared.now();
    const e = this.entry(key, t);
    const before = this.estimate(e, t);
    e.cur.pending++;
    this.touch(e, t, before + 1, true);
    return before + 1 <= this.perMinute && before + 2 > this.perMinute;
  }

  private entry(rawKey: string, t: number): Entry {
    const key = rawKey.length > MAX_KEY_LENGTH ? rawKey.slice(0, MAX_KEY_LENGTH) : rawKey;
    const window = t - (t % WINDOW_MS);
    let e = this.entries.get(key);
    if (e) {
      // Map order is insertion order: re-inserting keeps the map ordered by last use.
      this.entries.delete(key);
    } else {
      // Bounded memory without forgetting everyone at once (clearing the whole map would hand a
      // flooding client a fresh bucket): drop the least recently used tenth only.
      if (this.entries.size >= this.maxKeys) this.evict(Math.max(1, Math.floor(this.maxKeys / 10)));
      e = { key, window, cur: slot(), prev: slot(), syncedAt: 0 };
    }
    this.entries.set(key, e);
    if (e.window !== window) {
      // The current window became the previous one (or both are gone after a quiet minute).
      e.prev = window - e.window === WINDOW_MS ? e.cur : slot();
      e.cur = slot();
      e.window = window;
    }
    return e;
  }

  private evict(count: number): void {
    for (const [key, e] of this.entries) {
      if (count-- <= 0) return;
      this.entries.delete(key);
      this.dirty.delete(e);
    }
  }

  private estimate(e: Entry, t: number): number {
    const overlap = 1 - (t - e.window) / WINDOW_MS;
    return total(e.prev) * overlap + total(e.cur);
  }

  /** Seconds until the estimate has room for one more, the previous window sliding out. */
  private retryAfter(e: Entry, t: number): number {
    const elapsed = t - e.window;
    const prev = total(e.prev);
    const cur = total(e.cur);
    const room = this.perMinute - 1;
    let waitMs: number;
    if (cur <= room && prev > 0) {
      waitMs = (1 - (room - cur) / prev) * WINDOW_MS - elapsed;
    } else {
      waitMs = WINDOW_MS - elapsed + Math.max(0, 1 - room / Math.max(cur, 1)) * WINDOW_MS;
    }
    return Math.max(1, Math.ceil(waitMs / 1000));
  }

  /**
   * Marks a used key for the next sync: at once when `urgent` or new here; at the next interval
   * when it has counts and its last sync is older than an interval (so what other processes
   * counted shows within about one); else only once its last sync is older than REFRESH_MS.
   */
  private touch(e: Entry, t: number, estimate: number, urgent: boolean): void {
    this.dirty.add(e);
    if (urgent || !e.cur.known || !e.prev.known) this.shared.soon();
    else if (t - e.syncedAt >= (estimate > 0 ? SYNC_INTERVAL_MS : REFRESH_MS)) this.shared.due();
  }

  /** The rows this counter's next sync sends, with the slots their answers go to. */
  collect(t: number, rows: WindowRow[], slots: Slot[], entries: Entry[]): void {
    for (const e of this.dirty) {
      const bucket = `${this.name}:${e.key}`;
      const stale = t - e.syncedAt >= (total(e.cur) + total(e.prev) > 0 ? SYNC_INTERVAL_MS : REFRESH_MS);
      const parts: [Slot, number, boolean][] = [
        [e.cur, e.window, stale],
        [e.prev, e.window - WINDOW_MS, false],
      ];
      for (const [s, windowStart, refresh] of parts) {
        if (s.pending === 0 && s.known && !refresh) continue;
        rows.push({ bucket, windowStart, delta: s.pending });
        s.inflight += s.pending;
        s.pending = 0;
        slots.push(s);
        entries.push(e);
      }
    }
    this.dirty.clear();
  }

  /** Forgets keys whose windows are over and have nothing left to sync. */
  sweep(t: number): void {
    const window = t - (t % WINDOW_MS);
    for (const [key, e] of this.entries) {
      if (e.window >= window - WINDOW_MS) continue;
      if (e.cur.pending || e.cur.inflight || e.prev.pending || e.prev.inflight) continue;
      this.entries.delete(key);
      this.dirty.delete(e);
    }
  }
}

export class SharedLimits {
  private readonly counters = new Map<string, WindowCounter>();
  private readonly timers: NodeJS.Timeout[] = [];
  private running: Promise<void> | undefined;
  private rerun = false;
  private scheduled = false;
  private hasDue = false;
  private closed = false;
  /** True while the store does not answer: limits are per process meanwhile. */
  degraded = false;
  private lastLoggedAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly store: WindowStore,
    private readonly log: Logger,
    readonly now: () => number,
    opts: { start?: boolean } = {},
  ) {
    if (opts.start !== false) {
      this.timers.push(
        setInterval(() => {
          if (this.hasDue || this.anyDirty()) void this.flush();
        }, SYNC_INTERVAL_MS),
        setInterval(() => void this.cleanup(), CLEANUP_INTERVAL_MS + Math.floor(Math.random() * 5_000)),
      );
      // The flusher must never keep a process alive that has nothing else to do.
      for (const timer of this.timers) timer.unref();
    }
  }

  /** The limit `name` (one per name: several apps of one process share it). */
  counter(name: string, perMinute: number): WindowCounter {
    let c = this.counters.get(name);
    if (!c) {
      c = new WindowCounter(name, perMinute, this);
      this.counters.set(name, c);
    }
    return c;
  }

  /** Asks for a sync right after the current request's turn (coalesced, one in flight). */
  soon(): void {
    if (this.scheduled || this.degraded || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  /** Asks for a sync at the next interval. */
  due(): void {
    this.hasDue = true;
  }

  private anyDirty(): boolean {
    for (const c of this.counters.values()) if (c.dirty.size > 0) return true;
    return false;
  }

  /** Syncs now; resolves once a sync that started after this call has ended (tests await it). */
  flush(): Promise<void> {
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.rerun = false;
          await this.syncOnce();
        } while (this.rerun && !this.degraded);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async syncOnce(): Promise<void> {
    this.hasDue = false;
    const t = this.now();
    const rows: WindowRow[] = [];
    const slots: Slot[] = [];
    const entries: Entry[] = [];
    for (const c of this.counters.values()) c.collect(t, rows, slots, entries);
    // Nothing to send proves nothing about the store: a degraded state stays until a call works.
    if (rows.length === 0) return;
    for (let i = 0; i < rows.length; i += MAX_ROWS_PER_STATEMENT) {
      const batch = rows.slice(i, i + MAX_ROWS_PER_STATEMENT);
      let counts: number[];
      try {
        counts = await this.store.add(batch, WINDOW_MS);
      } catch (err) {
        // Not added: what was in flight is counted locally again, for the next try.
        for (let j = i; j < rows.length; j++) {
          const s = slots[j]!;
          s.pending += rows[j]!.delta;
          s.inflight -= rows[j]!.delta;
        }
        // Keep the keys in the next sync (they are in no counter's dirty set any more).
        for (let j = i; j < rows.length; j++) this.markDirty(entries[j]!);
        this.failed(err);
        return;
      }
      for (let j = 0; j < batch.length; j++) {
        const s = slots[i + j]!;
        s.inflight -= batch[j]!.delta;
        s.synced = counts[j]!;
        s.known = true;
        entries[i + j]!.syncedAt = t;
      }
    }
    if (this.degraded) {
      this.degraded = false;
      this.log.warn({ store: this.store.kind }, "rate-limit store answers again: limits are shared again");
    }
  }

  private markDirty(e: Entry): void {
    for (const c of this.counters.values()) {
      if (c.entries.get(e.key) === e) c.dirty.add(e);
    }
  }

  private failed(err: unknown): void {
    this.degraded = true;
    const t = Date.now();
    if (t - this.lastLoggedAt < LOG_EVERY_MS) return;
    this.lastLoggedAt = t;
    this.log.error(
      { store: this.store.kind, err: err instanceof Error ? err.message : String(err) },
      "rate-limit store unavailable: limiting per process until it answers",
    );
  }

  /** Deletes old windows from the store (bounded), and forgets idle keys here. */
  async cleanup(): Promise<void> {
    const t = this.now();
    for (const c of this.counters.values()) c.sweep(t);
    if (this.degraded || this.closed) return;
    try {
      await this.store.deleteExpired(t, CLEANUP_BATCH);
    } catch (err) {
      this.failed(err);
    }
  }

  /** Stops the timers and adds what is still counted here; then the store may close. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    await this.running;
    if (this.anyDirty() && !this.degraded) await this.flush();
    await this.store.close();
  }
}
