/**
 * Deleting a user or one of their Atlassian accounts. Either way the stored Atlassian tokens go
 * with the row, and the user's live sessions are revoked first, so no path that issues session
 * tokens keeps working for someone the app has removed.
 */
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import {
  emitExternalAccountDeleted,
  emitSessionEvents,
  emitUserDeleted,
  emitUserEvent,
} from "../events/event-data.js";
import type { Services } from "../services.js";

/**
 * Revokes every active session of one user (deletion, unlinking, a ban or lock), with a
 * `session.revoked` event each; `db` is the caller's transaction.
 */
export async function revokeSessions(db: Kysely<Database>, instanceId: string, userId: string, now: number) {
  const revoked = await db
    .updateTable("sessions")
    .set({ status: "revoked", ended_at: now, updated_at: now })
    .where("instance_id", "=", instanceId)
    .where("user_id", "=", userId)
    .where("status", "=", "active")
    .returningAll()
    .execute();
  // A session already past its lifetime ended then, not now: no event for it.
  const live = revoked.filter((s) => s.expire_at > now);
  await emitSessionEvents(db, instanceId, live, "session.revoked", now);
}

/** Deletes the user with their emails, external accounts (and tokens) and sessions. */
export async function deleteUser(svc: Services, instanceId: string, userId: string): Promise<boolean> {
  const now = svc.now();
  return svc.db.kysely.transaction().execute(async (trx) => {
    await revokeSessions(trx, instanceId, userId, now);
    // A connect flow still pending for this user must not attach an account to a deleted user.
    await trx
      .deleteFrom("oauth_transactions")
      .where("instance_id", "=", instanceId)
      .where("user_id", "=", userId)
      .execute();
    // Sessions, emails and external accounts (with their encrypted tokens) cascade with the user.
    const result = await trx
      .deleteFrom("users")
      .where("id", "=", userId)
      .where("instance_id", "=", instanceId)
      .executeTakeFirst();
    if (result.numDeletedRows !== 1n) return false;
    await emitUserDeleted(trx, instanceId, userId, now);
    return true;
  });
}

/**
 * Unlinks one Atlassian account: its row and tokens are deleted, and the user's sessions are
 * revoked, since a session cannot tell which linked account it was started through.
 */
export async function deleteExternalAccount(
  svc: Services,
  instanceId: string,
  userId: string,
  externalAccountId: string,
): Promise<boolean> {
  const now = svc.now();
  return svc.db.kysely.transaction().execute(async (trx) => {
    const result = await trx
      .deleteFrom("external_accounts")
      .where("id", "=", externalAccountId)
      .where("user_id", "=", userId)
      .where("instance_id", "=", instanceId)
      .executeTakeFirst();
    if (result.numDeletedRows !== 1n) return false;
    await revokeSessions(trx, instanceId, userId, now);
    await trx.updateTable("users").set({ updated_at: now }).where("id", "=", userId).execute();
    await emitExternalAccountDeleted(trx, instanceId, userId, externalAccountId, now);
    await emitUserEvent(trx, instanceId, userId, "user.updated", now);
    return true;
  });
}
