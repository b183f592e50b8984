/**
 * Queues the backfill of site organizations (site-backfill.ts) when an instance's
 * `organizations_from_sites` turns on: its existing users' grants were stored before, so no
 * sign-in or refresh of theirs would bind their sites until they next come back. Written in the
 * settings change's own transaction, so the setting is never on without its backfill queued.
 */
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";

export async function queueSiteBackfill(trx: Kysely<Database>, instanceId: string, now: number) {
  // Turned off and on again mid-way: start over (an earlier pass's work is kept; redoing it binds
  // nothing twice).
  await trx
    .insertInto("site_organization_backfills")
    .values({ instance_id: instanceId, after_user_id: "", users_done: 0, created_at: now, updated_at: now })
    .onConflict((oc) =>
      oc.column("instance_id").doUpdateSet({ after_user_id: "", users_done: 0, updated_at: now }),
    )
    .execute();
}
