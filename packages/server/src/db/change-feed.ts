/**
 * Telling every Foyer process that an operator changed something it may hold in memory (an
 * instance's settings, an instance created or deleted, its keys), so a change made through one
 * process is seen by all of them at once, not after a cache's TTL.
 *
 * - PostgreSQL: `NOTIFY foyer_changes` (pg_notify) inside the change's own transaction, so the
 *   notification goes out exactly when the change commits and never for a rolled-back one. Each
 *   process LISTENs on one dedicated connection (not one of the request pool's), reconnects with
 *   back-off after a drop, and on every (re)connect tells its subscribers "anything may have
 *   changed": notifications sent while it was away are lost, so caches start over. A heartbeat
 *   finds a listener connection that died silently (a network cut sends no FIN).
 * - SQLite: the processes sharing one file are the workers of one `--workers` supervisor, so the
 *   push goes over cluster IPC: a worker that committed a change sends it to the primary, which
 *   relays it to the other workers (cli/cluster.ts). Chosen over polling `PRAGMA data_version`:
 *   that counter moves on every commit by any connection, and every sign-in and every session
 *   token touches a row, so under load it would empty the caches on nearly every request and
 *   cost a check on each; IPC carries only the changes that matter and costs nothing at rest.
 *   A SQLite process outside the supervisor (a second `foyer start` on the same file) is not
 *   reached and sees the change when its cache's TTL runs out.
 *
 * In every case the process that made the change hears it at once, after the commit. The caches
 * keep their TTL as a backstop (a missed push, a process outside the cluster).
 */
import cluster from "node:cluster";
import { type Kysely, sql, type Transaction } from "kysely";
import pg from "pg";
import type { Database } from "./schema.js";

export const CHANGES_CHANNEL = "foyer_changes";

/**
 * What changed. `instance`: one instance's settings; `instances`: instances created or deleted
 * (an application deleted takes its instances with it; instanceId null = any); `secret_keys`,
 * `signing_keys`: an instance's keys.
 */
export type ChangeKind = "instance" | "instances" | "secret_keys" | "signing_keys";

export interface Change {
  kind: ChangeKind;
  instanceId: string | null;
}

/** `undefined`: anything may have changed (the listener reconnected and may have missed some). */
export type ChangeListener = (change: Change | undefined) => void;

export interface ChangeFeedStatus {
  /** How changes reach the other processes. */
  via: "postgres" | "cluster-ipc" | "none";
  /** PostgreSQL: the listener is connected and LISTENing. */
  listening: boolean;
  /** PostgreSQL: the listener connection's backend pid (what pg_stat_activity shows). */
  backendPid: number | undefined;
}

export interface ChangeFeed {
  /** Hears every change made by any process (this one included). Starts the listener if needed. */
  subscribe(listener: ChangeListener): () => void;
  /** Inside the change's transaction: on PostgreSQL, NOTIFY, sent when the transaction commits. */
  announceIn(trx: Kysely<Database>, changes: Change[]): Promise<void>;
  /** After the commit: this process's subscribers at once, and the sibling workers on SQLite. */
  committed(changes: Change[]): void;
  status(): ChangeFeedStatus;
  close(): Promise<void>;
}

/**
 * Runs `work` in a transaction that announces `changes`: on PostgreSQL the NOTIFY rides in the
 * same transaction; this process (and SQLite's sibling workers) hear it right after the commit.
 */
export async function changeTransaction<T>(
  db: { kysely: Kysely<Database>; changes: ChangeFeed },
  changes: Change[],
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  const result = await db.kysely.transaction().execute(async (trx) => {
    const value = await work(trx);
    await db.changes.announceIn(trx, changes);
    return value;
  });
  db.changes.committed(changes);
  return result;
}

function isChange(value: unknown): value is Change {
  const v = value as Partial<Change> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    ["instance", "instances", "secret_keys", "signing_keys"].includes(v.kind as string) &&
    (v.instanceId === null || typeof v.instanceId === "string")
  );
}

/** The IPC message a SQLite worker sends its primary, and the primary relays to the others. */
export interface ChangeMessage {
  foyerChanges: Change[];
}

export function isChangeMessage(msg: unknown): msg is ChangeMessage {
  const changes = (msg as Partial<ChangeMessage> | null)?.foyerChanges;
  return Array.isArray(changes) && changes.every(isChange);
}

/** Subscribers of one feed; a throwing subscriber must not stop the others from hearing. */
function subscribers() {
  const all = new Set<ChangeListener>();
  return {
    add(listener: ChangeListener) {
      all.add(listener);
      return () => {
        all.delete(listener);
      };
    },
    deliver(change: Change | undefined) {
      for (const listener of all) {
        try {
          listener(change);
        } catch {
          // A cache that cannot forget is the cache's bug; the TTL still bounds it.
        }
      }
    },
    get size() {
      return all.size;
    },
  };
}

/** SQLite: this process at once; sibling workers of a `--workers` supervisor over its IPC. */
export function sqliteChangeFeed(): ChangeFeed {
  const subs = subscribers();
  const inCluster = cluster.isWorker && typeof process.send === "function";
  const onMessage = (msg: unknown) => {
    if (isChangeMessage(msg)) for (const change of msg.foyerChanges) subs.deliver(change);
  };
  let hearing = false;
  return {
    subscribe(listener) {
      if (inCluster && !hearing) {
        hearing = true;
        process.on("message", onMessage);
      }
      return subs.add(listener);
    },
    announceIn: async () => {},
    committed(changes) {
      for (const change of changes) subs.deliver(change);
      // The channel can be closing while the worker stops; the TTL covers a lost message.
      if (inCluster && process.connected) {
        process.send!({ foyerChanges: changes } satisfies ChangeMessage, undefined, undefined, () => {});
      }
    },
    status: () => ({ via: inCluster ? "cluster-ipc" : "none", listening: inCluster, backendPid: undefined }),
    close: async () => {
      if (hearing) process.off("message", onMessage);
      hearing = false;
    },
  };
}

const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 5_000;
const HEARTBEAT_MS = 10_000;

/**
 * PostgreSQL: NOTIFY in the change's transaction, LISTEN on a connection of its own. The payload
 * carries the notifier's `current_schema()`, and a listener hears only its own schema's: every
 * schema of one database shares the channel (parallel test runs confine themselves to schemas).
 */
export function postgresChangeFeed(opts: {
  connectionString: string;
  schema: string | undefined;
  timeoutMs: number;
  onListenerState?: (state: "listening" | "lost", err?: unknown) => void;
}): ChangeFeed {
  const subs = subscribers();
  let closed = false;
  let started = false;
  let current: pg.Client | undefined;
  let listening = false;
  let backendPid: number | undefined;
  let ownSchema: string | undefined;
  let retryMs = RETRY_FIRST_MS;
  let retryTimer: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;

  const onNotification = (msg: pg.Notification) => {
    if (msg.channel !== CHANGES_CHANNEL || !msg.payload) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(msg.payload);
    } catch {
      return;
    }
    const { schema, ...change } = parsed as { schema?: unknown };
    if (schema !== ownSchema || !isChange(change)) return;
    subs.deliver(change);
  };

  const lose = (client: pg.Client, err?: unknown) => {
    if (client !== current) return;
    current = undefined;
    const wasListening = listening;
    listening = false;
    backendPid = undefined;
    clearInterval(heartbeat);
    client.removeAllListeners("notification");
    client.end().catch(() => {});
    if (wasListening) opts.onListenerState?.("lost", err);
    if (closed) return;
    retryTimer = setTimeout(connect, retryMs);
    retryTimer.unref();
    retryMs = Math.min(RETRY_MAX_MS, retryMs * 2);
  };

  async function connect(): Promise<void> {
    if (closed) return;
    const client = new pg.Client({
      connectionString: opts.connectionString,
      connectionTimeoutMillis: opts.timeoutMs,
      query_timeout: opts.timeoutMs,
      keepAlive: true,
      application_name: "foyer-changes",
      ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
    });
    current = client;
    client.on("error", (err) => lose(client, err));
    client.on("end", () => lose(client));
    client.on("notification", onNotification);
    try {
      await client.connect();
      const { rows } = await client.query<{ schema: string; pid: number }>(
        "select current_schema() as schema, pg_backend_pid() as pid",
      );
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
      if (client !== current) {
        // Closed (or given up on) while connecting.
        await client.end().catch(() => {});
        return;
      }
      ownSchema = rows[0]!.schema;
      backendPid = rows[0]!.pid;
      listening = true;
      retryMs = RETRY_FIRST_MS;
      heartbeat = setInterval(() => {
        client.query("select 1").catch((err: unknown) => lose(client, err));
      }, HEARTBEAT_MS);
      heartbeat.unref();
      opts.onListenerState?.("listening");
      // Whatever was notified while no one listened is lost: every cache starts over.
      subs.deliver(undefined);
    } catch (err) {
      if (client === current) lose(client, err);
      else await client.end().catch(() => {});
    }
  }

  return {
    subscribe(listener) {
      const unsubscribe = subs.add(listener);
      if (!started && !closed) {
        started = true;
        void connect();
      }
      return unsubscribe;
    },
    async announceIn(trx, changes) {
      for (const change of changes) {
        await sql`select pg_notify(${CHANGES_CHANNEL}, json_build_object('schema', current_schema(), 'kind', ${change.kind}::text, 'instanceId', ${change.instanceId}::text)::text)`.execute(
          trx,
        );
      }
    },
    committed(changes) {
      // This process need not wait for its own notification to come back round.
      for (const change of changes) subs.deliver(change);
    },
    status: () => ({ via: "postgres", listening, backendPid }),
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      clearInterval(heartbeat);
      const client = current;
      current = undefined;
      listening = false;
      await client?.end().catch(() => {});
    },
  };
}
