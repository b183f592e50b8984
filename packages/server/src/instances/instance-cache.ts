import type { Change } from "../db/change-feed.js";
import type { Services } from "../services.js";
import { findInstance, type Instance, instancesByFrontendApiHost } from "./instance-row.js";

/**
 * Every Frontend API request needs its instance (allowed origins, session inactivity, URLs), and
 * every request on a custom host the map of those hosts; both change only when an operator edits
 * settings or creates or deletes an instance. They are kept in memory, per process, and dropped
 * the moment any process commits such a change: the database's change feed (db/change-feed.ts:
 * PostgreSQL NOTIFY, or the `--workers` supervisor's IPC on SQLite) tells every process, this one
 * at once. The TTLs are only a backstop, for a push that never came (a listener reconnecting, a
 * SQLite process outside the supervisor).
 *
 * A load that was already reading when a change arrived may carry the old row: a generation
 * number, bumped by every change, keeps such a load out of the cache.
 */
const INSTANCE_TTL_MS = 2_000;
const HOSTS_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

interface Cache {
  instances: Map<string, { at: number; instance: Instance | undefined }>;
  hosts: { at: number; hosts: Map<string, string> } | undefined;
  generation: number;
}

const caches = new WeakMap<Services, Cache>();

function cacheOf(svc: Services): Cache {
  let cache = caches.get(svc);
  if (!cache) {
    const created: Cache = { instances: new Map(), hosts: undefined, generation: 0 };
    svc.db.changes.subscribe((change) => forget(created, change));
    caches.set(svc, created);
    cache = created;
  }
  return cache;
}

function forget(cache: Cache, change: Change | undefined): void {
  // Keys do not live in the instance row; nothing here holds them.
  if (change && change.kind !== "instance" && change.kind !== "instances") return;
  cache.generation += 1;
  if (change?.kind === "instance" && change.instanceId) cache.instances.delete(change.instanceId);
  else cache.instances.clear();
  // Only a created or deleted instance moves a host, but a settings change is rare enough.
  cache.hosts = undefined;
}

export async function cachedInstance(svc: Services, id: string): Promise<Instance | undefined> {
  const cache = cacheOf(svc);
  const hit = cache.instances.get(id);
  if (hit && Date.now() - hit.at < INSTANCE_TTL_MS) return hit.instance;
  const generation = cache.generation;
  const instance = await findInstance(svc, id);
  if (generation === cache.generation) {
    if (cache.instances.size >= MAX_ENTRIES) cache.instances.clear();
    cache.instances.set(id, { at: Date.now(), instance });
  }
  return instance;
}

/** Production instances serving their Frontend API on a host of their own: host → instance id. */
export async function cachedFrontendApiHosts(svc: Services): Promise<Map<string, string>> {
  const cache = cacheOf(svc);
  if (cache.hosts && Date.now() - cache.hosts.at < HOSTS_TTL_MS) return cache.hosts.hosts;
  const generation = cache.generation;
  const hosts = await instancesByFrontendApiHost(svc);
  if (generation === cache.generation) cache.hosts = { at: Date.now(), hosts };
  return hosts;
}
