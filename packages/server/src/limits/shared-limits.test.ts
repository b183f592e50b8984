/**
 * The shared limiter when its store fails: PostgreSQL or Redis behind a TCP proxy the test stops.
 * Counting never waits for the store (take() is synchronous), limits hold per process meanwhile,
 * the outage is logged once per 10 s, and the counts taken meanwhile reach the store once it
 * answers again, without a restart. Plus the bounded clean-up of old windows on both databases.
 */
import { Writable } from "node:stream";
import { createTestDatabase, DB_KINDS, postgresUrl } from "@foyer/testkit/databases";
import { redisUrl, testRedisPrefix } from "@foyer/testkit/redis";
import { startTcpProxy, type TcpProxy } from "@foyer/testkit/tcp-proxy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "../bootstrap.js";
import { type Db, openDatabase } from "../db/database.js";
import { createLogger } from "../log.js";
import { redisWindowStore } from "./redis-store.js";
import { SharedLimits, WINDOW_MS } from "./shared-limits.js";
import { sqlWindowStore, type WindowStore } from "./window-store.js";

interface Target {
  name: string;
  /** The store through `proxyAddress`, and one straight to the server to check what it holds. */
  open(proxyAddress: string | undefined): Promise<{ store: WindowStore; close(): Promise<void> }>;
  port: () => { host: string; port: number };
}

const opened: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of opened.reverse()) await close();
});

async function postgresTarget(): Promise<Target> {
  const database = await createTestDatabase("postgres");
  await migrateDatabase(database.url, database.schema);
  opened.push(() => database.drop());
  const real = new URL(database.url);
  return {
    name: "postgres",
    port: () => ({ host: real.hostname, port: Number(real.port || 5432) }),
    async open(proxyAddress) {
      const url = new URL(database.url);
      if (proxyAddress) url.host = proxyAddress;
      const db: Db = openDatabase(url.href, { schema: database.schema, timeoutMs: 1_000 });
      return { store: sqlWindowStore(db.kysely, "postgres"), close: () => db.close() };
    },
  };
}

async function redisTarget(): Promise<Target> {
  const prefix = testRedisPrefix();
  const real = new URL(redisUrl!);
  return {
    name: "redis",
    port: () => ({ host: real.hostname, port: Number(real.port || 6379) }),
    async open(proxyAddress) {
      const url = new URL(redisUrl!);
      if (proxyAddress) url.host = proxyAddress;
      const store = redisWindowStore(url.href, prefix);
      return { store, close: () => store.close() };
    },
  };
}

const targets = [
  ...(postgresUrl ? [{ name: "postgres", make: postgresTarget }] : []),
  ...(redisUrl ? [{ name: "redis", make: redisTarget }] : []),
];

describe.each(targets)("the shared limiter while its store fails ($name)", ({ make }) => {
  let proxy: TcpProxy;
  let limits: SharedLimits;
  let direct: WindowStore;
  const lines: string[] = [];

  beforeAll(async () => {
    const target = await make();
    proxy = await startTcpProxy(target.port());
    opened.push(() => proxy.close());
    const through = await target.open(proxy.address);
    const straight = await target.open(undefined);
    opened.push(through.close, straight.close);
    direct = straight.store;
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    // No timers: the test runs each sync itself.
    limits = new SharedLimits(through.store, createLogger("info", sink), Date.now, { start: false });
    opened.push(() => limits.close());
  });

  const globalCount = async (bucket: string) => {
    const window = Date.now() - (Date.now() % WINDOW_MS);
    const [cur = 0, prev = 0] = await direct.add(
      [
        { bucket, windowStart: window, delta: 0 },
        { bucket, windowStart: window - WINDOW_MS, delta: 0 },
      ],
      WINDOW_MS,
    );
    return cur + prev;
  };

  it("limits per process while the store is down, logs once, and catches up when it is back", async () => {
    const counter = limits.counter("outage", 5);
    expect([counter.take("k"), counter.take("k")]).toEqual([undefined, undefined]);
    await limits.flush();
    expect(await globalCount("outage:k")).toBe(2);

    proxy.stop();
    // Requests are answered at once: three more fit, the next is refused with a Retry-After.
    expect([counter.take("k"), counter.take("k"), counter.take("k")]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(counter.take("k")).toBeGreaterThanOrEqual(1);
    for (let i = 0; i < 3; i++) await limits.flush();
    expect(limits.degraded).toBe(true);
    const down = lines.filter((l) => l.includes("rate-limit store unavailable"));
    expect(down).toHaveLength(1);
    expect(JSON.parse(down[0]!)).toMatchObject({ level: 50 });

    proxy.start();
    const deadline = Date.now() + 10_000;
    while (limits.degraded) {
      if (Date.now() > deadline) throw new Error("the limiter did not recover");
      counter.blocked("k");
      await limits.flush();
      if (limits.degraded) await new Promise((r) => setTimeout(r, 100));
    }
    expect(lines.some((l) => l.includes("rate-limit store answers again"))).toBe(true);
    // What was counted during the outage reached the store.
    expect(await globalCount("outage:k")).toBe(5);
  });
});

describe.each(DB_KINDS)("old rate-limit windows (%s)", (kind) => {
  let db: Db;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const database = await createTestDatabase(kind);
    await migrateDatabase(database.url, database.schema);
    db = openDatabase(database.url, { schema: database.schema });
    drop = database.drop;
  });
  afterAll(async () => {
    await db.close();
    await drop();
  });

  it("adds deltas atomically, answers global counts, and deletes expired windows in bounded batches", async () => {
    const store = sqlWindowStore(db.kysely, kind);
    expect(
      await store.add(
        [
          { bucket: "b:1", windowStart: 0, delta: 2 },
          { bucket: "b:2", windowStart: 0, delta: 1 },
          { bucket: "b:3", windowStart: WINDOW_MS * 10, delta: 1 },
        ],
        WINDOW_MS,
      ),
    ).toEqual([2, 1, 1]);
    expect(
      await store.add(
        [
          { bucket: "b:1", windowStart: 0, delta: 3 },
          { bucket: "b:2", windowStart: 0, delta: 0 },
          { bucket: "b:9", windowStart: 0, delta: 0 },
        ],
        WINDOW_MS,
      ),
    ).toEqual([5, 1, 0]);
    // Windows at 0 expire at 2 minutes; the one at 10 minutes stays.
    const now = WINDOW_MS * 5;
    expect(await store.deleteExpired(now, 1)).toBe(1);
    expect(await store.deleteExpired(now, 10)).toBe(1);
    expect(await store.deleteExpired(now, 10)).toBe(0);
    const left = await db.kysely.selectFrom("rate_limit_windows").select("bucket").execute();
    expect(left.map((r) => r.bucket)).toEqual(["b:3"]);
  });
});
