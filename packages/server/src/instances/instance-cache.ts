import type { Services } from "../services.js";
import { findInstance, type Instance } from "./instance-row.js";

/**
 * Every Frontend API request needs its instance; the row changes only when an operator edits
 * settings. Keep it for a moment: edits made by this process are seen at once (they call
 * forgetInstances), edits made by another process within TTL_MS.
 */
const TTL_MS = 2_000;
const MAX_ENTRIES = 10_000;

const caches = new WeakMap<Services, Map<string, { at: number; instance: Instance | undefined }>>();

export async function cachedInstance(svc: Services, id: string): Promise<Instance | undefined> {
  let cache = caches.get(svc);
  if (!cache) {
    cache = new Map();
    caches.set(svc, cache);
  }
  const hit = cache.get(id);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.instance;
  const instance = await findInstance(svc, id);
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(id, { at: Date.now(), instance });
  return instance;
}

/** Drops cached instances after this process changed or deleted one. */
export function forgetInstances(svc: Services): void {
  caches.get(svc)?.clear();
}
