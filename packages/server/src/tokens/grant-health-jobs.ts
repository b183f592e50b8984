/**
 * The background side of grant health, run by every Foyer process (the refresh lease makes each
 * account's work happen in one of them):
 *
 * - **recovery**: a refresh whose journal entry outlived its lease had its answer lost (timeout,
 *   crash, a write the database refused). It is retried with the stored refresh token, which
 *   Atlassian still accepts within its reuse leeway, without waiting for the app to ask.
 * - **keep-alive**: Atlassian expires a refresh token after 90 days without use; every grant not
 *   refreshed for `FOYER_ATLASSIAN_KEEPALIVE_DAYS` is refreshed, a few at a time, and a dead one
 *   is marked `reauthorization_required` now rather than when the user returns.
 *
 * Each refresh records its own outcome (last_refreshed_at, last_refresh_error, the reason).
 */
import type { ExternalAccountTable } from "../db/schema.js";
import { findInstance } from "../instances/instances.js";
import type { Services } from "../services.js";
import { freshAccessToken } from "./fresh-token.js";
import { LEASE_MS } from "./refresh-lease.js";

const RECOVERY_EVERY_MS = 5_000;
const MAX_KEEPALIVE_EVERY_MS = 60 * 60 * 1000;
const BATCH = 100;
/** Refreshes at once, and the pause between starting two, so keep-alive never floods Atlassian. */
const CONCURRENCY = 4;
const PACE_MS = 50;

export interface PassResult {
  refreshed: number;
  failed: number;
}

/** One recovery pass: retries every refresh whose answer was lost. */
export async function recoverLostRefreshes(svc: Services): Promise<PassResult> {
  const now = svc.now();
  const rows = await svc.db.kysely
    .selectFrom("external_accounts")
    .selectAll()
    .where("status", "=", "active")
    .where("refresh_intent_at", "is not", null)
    .where("refresh_intent_at", "<", now - LEASE_MS)
    .where((eb) => eb.or([eb("refresh_lock_until", "is", null), eb("refresh_lock_until", "<", now)]))
    .orderBy("refresh_intent_at", "asc")
    .limit(BATCH)
    .execute();
  for (const row of rows) {
    if (now - row.refresh_intent_at! > svc.config.atlassian.refreshLeewayMs) {
      // Past the leeway Atlassian may revoke the grant on this retry; if it does, the account is
      // marked `refresh_lost` (refresh-holder.ts), never left to die silently.
      svc.log.warn(
        { external_account_id: row.id, lost_for_ms: now - row.refresh_intent_at! },
        "retrying an Atlassian refresh whose answer was lost, after the reuse leeway",
      );
    }
  }
  return refreshAll(svc, rows);
}

/** One keep-alive pass: refreshes grants idle for longer than the keep-alive age. */
export async function keepGrantsAlive(svc: Services): Promise<PassResult> {
  const now = svc.now();
  const cutoff = now - svc.config.atlassian.keepAliveMs;
  const rows = await svc.db.kysely
    .selectFrom("external_accounts")
    .selectAll()
    .where("status", "=", "active")
    .where("refresh_token_enc", "is not", null)
    // Rows from before Foyer recorded refreshes count from their creation (the earliest guess).
    .where((eb) => eb(eb.fn.coalesce("last_refreshed_at", "created_at"), "<", cutoff))
    .where((eb) => eb.or([eb("refresh_lock_until", "is", null), eb("refresh_lock_until", "<", now)]))
    .orderBy("last_refreshed_at", "asc")
    .limit(BATCH)
    .execute();
  return refreshAll(svc, rows);
}

async function refreshAll(svc: Services, rows: ExternalAccountTable[]): Promise<PassResult> {
  const result: PassResult = { refreshed: 0, failed: 0 };
  let next = 0;
  const worker = async () => {
    while (next < rows.length) {
      const row = rows[next++]!;
      const instance = await findInstance(svc, row.instance_id);
      if (!instance) continue;
      try {
        await freshAccessToken(svc, instance, row, { force: true });
        result.refreshed++;
      } catch {
        // Recorded on the account by the refresh itself (error, back-off or reauthorization).
        result.failed++;
      }
      await new Promise((resolve) => setTimeout(resolve, PACE_MS));
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, rows.length) }, worker));
  return result;
}

/** How often keep-alive looks: at least every hour, and ten times per keep-alive age. */
export function keepAliveEveryMs(svc: Services): number {
  return Math.max(1_000, Math.min(MAX_KEEPALIVE_EVERY_MS, svc.config.atlassian.keepAliveMs / 10));
}

/** Starts both jobs on timers; `stop` waits for a pass under way. Failures are logged, never thrown. */
export function startGrantHealthJobs(svc: Services): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const every = (ms: number, pass: (svc: Services) => Promise<PassResult>, name: string) => {
    // A tick while this job's pass is still queued or running is skipped: a slow pass (database
    // away, Atlassian hanging) must not pile up passes that then run back to back.
    let pending = false;
    const timer = setInterval(() => {
      if (stopped || pending) return;
      pending = true;
      running = running
        .then(() => pass(svc))
        .then(
          (r) => {
            if (r.refreshed + r.failed > 0) svc.log.info({ job: name, ...r }, "grant health pass");
          },
          (err) => svc.log.warn({ job: name, err: String(err) }, "grant health pass failed"),
        )
        .finally(() => {
          pending = false;
        });
    }, ms);
    timer.unref();
    return timer;
  };
  const timers = [
    every(RECOVERY_EVERY_MS, recoverLostRefreshes, "refresh_recovery"),
    every(keepAliveEveryMs(svc), keepGrantsAlive, "keep_alive"),
  ];
  return {
    async stop() {
      stopped = true;
      for (const t of timers) clearInterval(t);
      await running;
    },
  };
}
