/**
 * The refresh lease: at most one refresh per external account at a time, across every Foyer
 * process sharing the database. Atlassian rotates refresh tokens and, once the reuse leeway is
 * over, kills the whole grant when an old one comes back (atlassian-3lo §3), so two processes
 * refreshing from the same stored token can lose a user's grant.
 *
 * A lease is a compare-and-swap on two columns, never a transaction held across the HTTP call
 * (SQLite has one connection per process, and a crash would hold a row lock). It is short and
 * the holder renews it while its call to Atlassian runs (`holdLease`), so a crashed holder's
 * lease runs out within LEASE_MS and the next request (or the recovery job) takes over.
 *
 * After a failure the holder turns its lease into a back-off (`refresh_lock_owner =
 * "unavailable"`): requests arriving meanwhile, in any process, answer 503 at once instead of
 * each trying Atlassian again (no retry storm against an outage). The back-off grows with the
 * account's consecutive failures.
 */
import type { Services } from "../services.js";

export const LEASE_MS = 5_000;
/** The holder renews well before the lease would lapse. */
const RENEW_EVERY_MS = 1_500;
export const BACKOFF_OWNER = "unavailable";
/** Bounds on the back-off after a failure, whatever Retry-After Atlassian sent. */
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

/**
 * Runs `work` while renewing our lease every RENEW_EVERY_MS. A renewal that fails (database
 * away for a moment) is simply skipped: the worst case is that the lease lapses and another
 * process refreshes too, which Atlassian's reuse leeway and the token_version guard absorb.
 */
export async function holdLease<T>(
  svc: Services,
  externalAccountId: string,
  owner: string,
  work: () => Promise<T>,
): Promise<T> {
  const timer = setInterval(() => {
    svc.db.kysely
      .updateTable("external_accounts")
      .set({ refresh_lock_until: svc.now() + LEASE_MS })
      .where("id", "=", externalAccountId)
      .where("refresh_lock_owner", "=", owner)
      .execute()
      .catch(() => {});
  }, RENEW_EVERY_MS);
  timer.unref();
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/**
 * Seconds to back off after a failure: Atlassian's Retry-After when it sent one, else doubling
 * with each consecutive failure (1, 2, 4 … s), within the bounds.
 */
export function backOffSeconds(retryAfterSeconds: number | undefined, consecutiveFailures: number): number {
  const grown = MIN_BACKOFF_SECONDS * 2 ** Math.min(10, Math.max(0, consecutiveFailures - 1));
  return Math.min(MAX_BACKOFF_SECONDS, Math.max(MIN_BACKOFF_SECONDS, Math.ceil(retryAfterSeconds ?? grown)));
}

/**
 * Turns our lease into a back-off after a failure and records it (error code, one more
 * consecutive failure). `intentSettled` clears the refresh journal entry when Atlassian's answer
 * shows it did not rotate (it answered, and said no); an unknown outcome (no answer) keeps it.
 * Returns the seconds callers should wait.
 */
export async function backOffRefresh(
  svc: Services,
  account: { id: string; refresh_failures: number },
  owner: string,
  failure: { retryAfterSeconds: number | undefined; errorCode: string; intentSettled: boolean },
): Promise<number> {
  const failures = account.refresh_failures + 1;
  const seconds = backOffSeconds(failure.retryAfterSeconds, failures);
  await svc.db.kysely
    .updateTable("external_accounts")
    .set({
      refresh_lock_owner: BACKOFF_OWNER,
      refresh_lock_until: svc.now() + seconds * 1000,
      refresh_failures: failures,
      last_refresh_error: failure.errorCode,
      ...(failure.intentSettled ? { refresh_intent_at: null } : {}),
    })
    .where("id", "=", account.id)
    .where("refresh_lock_owner", "=", owner)
    .execute();
  return seconds;
}

/**
 * Writes the refresh journal entry before a refresh is sent: from here until the outcome is
 * stored, a crash or a lost answer leaves a trace the recovery job finds. Keeps the first
 * intent's time (Atlassian's leeway counts from the first rotation). False when the lease or the
 * token version moved on (then nothing is sent).
 */
export async function recordRefreshIntent(
  svc: Services,
  account: { id: string; token_version: number; refresh_intent_at: number | null },
  owner: string,
): Promise<boolean> {
  const result = await svc.db.kysely
    .updateTable("external_accounts")
    .set({ refresh_intent_at: account.refresh_intent_at ?? svc.now() })
    .where("id", "=", account.id)
    .where("refresh_lock_owner", "=", owner)
    .where("token_version", "=", account.token_version)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}
