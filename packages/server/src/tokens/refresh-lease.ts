/**
 * The refresh lease: at most one refresh per external account at a time, across every Foyer
 * process sharing the database. Atlassian rotates refresh tokens and, once the reuse leeway is
 * over, kills the whole grant when an old one comes back (atlassian-3lo §3), so two processes
 * refreshing from the same stored token can lose a user's grant.
 *
 * A lease is a compare-and-swap on two columns, never a transaction held across the HTTP call
 * (SQLite has one connection per process, and a crash would hold a row lock). A crashed holder's
 * lease simply runs out after LEASE_MS, and the next request takes over.
 *
 * After a transient failure the holder turns its lease into a short back-off
 * (`refresh_lock_owner = "unavailable"`): requests arriving meanwhile, in any process, answer 503
 * at once instead of each trying Atlassian again (no retry storm against an outage).
 */
import type { Services } from "../services.js";

/** Longer than the outbound timeout, so a live holder always finishes inside its lease. */
export const LEASE_MS = 15_000;
export const BACKOFF_OWNER = "unavailable";
/** Bounds on the back-off after an outage, whatever Retry-After Atlassian sent. */
export const MIN_BACKOFF_SECONDS = 1;
export const MAX_BACKOFF_SECONDS = 30;

export async function acquireRefreshLease(svc: Services, externalAccountId: string, owner: string) {
  const now = svc.now();
  const result = await svc.db.kysely
    .updateTable("external_accounts")
    .set({ refresh_lock_owner: owner, refresh_lock_until: now + LEASE_MS })
    .where("id", "=", externalAccountId)
    .where((eb) => eb.or([eb("refresh_lock_until", "is", null), eb("refresh_lock_until", "<", now)]))
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Gives the lease back, only if it is still ours (an expired lease may belong to another by now). */
export async function releaseRefreshLease(svc: Services, externalAccountId: string, owner: string) {
  await svc.db.kysely
    .updateTable("external_accounts")
    .set({ refresh_lock_owner: null, refresh_lock_until: null })
    .where("id", "=", externalAccountId)
    .where("refresh_lock_owner", "=", owner)
    .execute();
}

/** Turns our lease into a back-off after an outage; returns the seconds callers should wait. */
export async function backOffRefresh(
  svc: Services,
  externalAccountId: string,
  owner: string,
  retryAfterSeconds: number | undefined,
): Promise<number> {
  const seconds = Math.min(
    MAX_BACKOFF_SECONDS,
    Math.max(MIN_BACKOFF_SECONDS, Math.ceil(retryAfterSeconds ?? MIN_BACKOFF_SECONDS)),
  );
  await svc.db.kysely
    .updateTable("external_accounts")
    .set({ refresh_lock_owner: BACKOFF_OWNER, refresh_lock_until: svc.now() + seconds * 1000 })
    .where("id", "=", externalAccountId)
    .where("refresh_lock_owner", "=", owner)
    .execute();
  return seconds;
}
