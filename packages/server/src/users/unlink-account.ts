import { ApiError } from "../errors/api-error.js";
import { emitExternalAccountDeleted, emitSessionEvents, emitUserEvent } from "../events/event-data.js";
import type { Instance } from "../instances/instances.js";
import type { Services } from "../services.js";

/**
 * The signed-in user unlinks one of their own Atlassian accounts (Frontend API). Refused with
 * `external_account_last_sign_in_method` when it is their only one: Atlassian is the only way
 * into Foyer, so the user would be locked out.
 *
 * The user's row is updated first: on PostgreSQL that row lock orders two parallel unlinks of
 * the user's last two accounts, so the second counts after the first has deleted (SQLite runs
 * one writer at a time anyway), and the user never ends with none.
 *
 * The user's other sessions are revoked (one may have been started through this account, and a
 * session cannot tell which); the session that asked stays, as it belongs to the user unlinking.
 */
export async function unlinkOwnExternalAccount(
  svc: Services,
  instance: Instance,
  userId: string,
  externalAccountId: string,
  keepSessionId: string,
): Promise<void> {
  const now = svc.now();
  await svc.db.kysely.transaction().execute(async (trx) => {
    await trx
      .updateTable("users")
      .set({ updated_at: now })
      .where("id", "=", userId)
      .where("instance_id", "=", instance.id)
      .execute();
    const accounts = await trx
      .selectFrom("external_accounts")
      .select("id")
      .where("instance_id", "=", instance.id)
      .where("user_id", "=", userId)
      .execute();
    if (!accounts.some((a) => a.id === externalAccountId)) {
      throw new ApiError("resource_not_found", {
        longMessage: "You have no external account with that id.",
        meta: { param_name: "external_account_id" },
      });
    }
    if (accounts.length <= 1) throw new ApiError("external_account_last_sign_in_method");
    await trx
      .deleteFrom("external_accounts")
      .where("id", "=", externalAccountId)
      .where("user_id", "=", userId)
      .where("instance_id", "=", instance.id)
      .execute();
    const revoked = await trx
      .updateTable("sessions")
      .set({ status: "revoked", ended_at: now, updated_at: now })
      .where("instance_id", "=", instance.id)
      .where("user_id", "=", userId)
      .where("status", "=", "active")
      .where("id", "<>", keepSessionId)
      .returningAll()
      .execute();
    // The same events as the Backend API's unlink (users/delete-user.ts), in this transaction.
    const live = revoked.filter((s) => s.expire_at > now);
    await emitSessionEvents(trx, instance.id, live, "session.revoked", now);
    await emitExternalAccountDeleted(trx, instance.id, userId, externalAccountId, now);
    await emitUserEvent(trx, instance.id, userId, "user.updated", now);
  });
}
