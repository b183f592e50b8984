/**
 * The site organization backfill: when `organizations_from_sites` turns on, the sites of the
 * instance's EXISTING users' grants are bound (organizations made, memberships and their events
 * written) as a sign-in or refresh would, by a job every Foyer process runs.
 *
 * - bounded: one transaction per batch of users (in user id order), never one for the instance;
 * - resumable: each batch's transaction also moves the stored cursor (`after_user_id`) past its
 *   users, so a process stopped mid-way leaves the next batch to the next pass, here or in a
 *   process started later;
 * - once per batch: the cursor moves by compare-and-swap first thing in the transaction, so when
 *   two processes take the same batch one of them rolls back (PostgreSQL's row lock makes it
 *   wait for the other's commit); and redoing a user changes nothing (syncSiteOrganizations
 *   brings memberships in line with the stored sites, it does not add to them).
 */
import type { SiteOrganizationBackfillTable } from "../db/schema.js";
import { findInstance } from "../instances/instance-row.js";
import type { Services } from "../services.js";
import { syncSiteOrganizations } from "./site-organizations.js";

const BATCH = 50;
/** Batches per instance in one pass, so one big instance does not hold a pass for long. */
const MAX_BATCHES_PER_PASS = 20;
const EVERY_MS = 5_000;

export interface BackfillPassResult {
  users: number;
  finished: number;
}

/** Another process committed this batch first: this transaction rolls back. */
class BatchTaken extends Error {}

/** One pass: a few batches of every queued instance. */
export async function runSiteBackfillPass(
  svc: Services,
  opts: { batch?: number; maxBatches?: number } = {},
): Promise<BackfillPassResult> {
  const queued = await svc.db.kysely
    .selectFrom("site_organization_backfills")
    .selectAll()
    .orderBy("created_at", "asc")
    .limit(20)
    .execute();
  const result: BackfillPassResult = { users: 0, finished: 0 };
  for (const row of queued) {
    let cursor: SiteOrganizationBackfillTable | undefined = row;
    for (let i = 0; cursor && i < (opts.maxBatches ?? MAX_BATCHES_PER_PASS); i++) {
      const step = await backfillBatch(svc, cursor, opts.batch ?? BATCH);
      if (!step) break;
      result.users += step.users;
      if (step.finished) result.finished++;
      cursor = step.finished ? undefined : step.next;
    }
  }
  return result;
}

/** Binds the next batch of one instance's users; undefined when another process took it. */
async function backfillBatch(svc: Services, row: SiteOrganizationBackfillTable, size: number) {
  const db = svc.db.kysely;
  const now = svc.now();
  const instance = await findInstance(svc, row.instance_id);
  const on = instance?.organizations_from_sites === "auto";
  // Users with an Atlassian account, in id order: users made after the setting turned on are
  // bound by their own sign-in, wherever they fall in the order.
  const users = on
    ? (
        await db
          .selectFrom("external_accounts")
          .select("user_id")
          .distinct()
          .where("instance_id", "=", row.instance_id)
          .where("provider", "=", "oauth_atlassian")
          .where("user_id", ">", row.after_user_id)
          .orderBy("user_id", "asc")
          .limit(size)
          .execute()
      ).map((u) => u.user_id)
    : [];
  // Turned off again (or gone): nothing more to bind.
  const finished = users.length < size;
  const next: SiteOrganizationBackfillTable = {
    ...row,
    after_user_id: users.at(-1) ?? row.after_user_id,
    users_done: row.users_done + users.length,
    updated_at: now,
  };
  try {
    await db.transaction().execute(async (trx) => {
      const claim = finished
        ? await trx
            .deleteFrom("site_organization_backfills")
            .where("instance_id", "=", row.instance_id)
            .where("after_user_id", "=", row.after_user_id)
            .where("users_done", "=", row.users_done)
            .executeTakeFirst()
            .then((r) => r.numDeletedRows)
        : await trx
            .updateTable("site_organization_backfills")
            .set({ after_user_id: next.after_user_id, users_done: next.users_done, updated_at: now })
            .where("instance_id", "=", row.instance_id)
            .where("after_user_id", "=", row.after_user_id)
            .where("users_done", "=", row.users_done)
            .executeTakeFirst()
            .then((r) => r.numUpdatedRows);
      if (claim !== 1n) throw new BatchTaken();
      if (instance && on) for (const userId of users) await syncSiteOrganizations(trx, instance, userId, now);
    });
  } catch (err) {
    if (err instanceof BatchTaken) return undefined;
    throw err;
  }
  if (finished) {
    svc.log.info({ instance_id: row.instance_id, users: next.users_done }, "site organizations backfilled");
  }
  return { users: users.length, finished, next };
}

export interface SiteBackfillStatus {
  object: "site_organization_backfill";
  instance_id: string;
  /** `running`: existing users are still being bound; `idle`: none queued (done, or never started). */
  status: "running" | "idle";
  users_done: number;
  started_at: number | null;
  updated_at: number | null;
}

/** Where the instance's backfill stands, for the operator. */
export async function siteBackfillStatus(svc: Services, instanceId: string): Promise<SiteBackfillStatus> {
  const row = await svc.db.kysely
    .selectFrom("site_organization_backfills")
    .selectAll()
    .where("instance_id", "=", instanceId)
    .executeTakeFirst();
  return {
    object: "site_organization_backfill",
    instance_id: instanceId,
    status: row ? "running" : "idle",
    users_done: row ? Number(row.users_done) : 0,
    started_at: row ? Number(row.created_at) : null,
    updated_at: row ? Number(row.updated_at) : null,
  };
}

/** Runs a pass every few seconds; `stop` waits for one under way. Failures are logged and retried. */
export function startSiteBackfillJob(svc: Services): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let pending = false;
  let stopped = false;
  const timer = setInterval(() => {
    if (stopped || pending) return;
    pending = true;
    running = runSiteBackfillPass(svc)
      .catch((err) => svc.log.warn({ job: "site_backfill", err: String(err) }, "site backfill pass failed"))
      .finally(() => {
        pending = false;
      });
  }, EVERY_MS);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
