/**
 * Users the operator has stopped: banned (Clerk's ban) or locked (Clerk's lock). Either one ends
 * the user's sessions at once and is checked again on every path that issues something: the
 * sign-in callback, connect, session-token mint and the Atlassian token endpoint. A deleted user
 * has no row, so the same checks refuse them as unknown.
 */
import type { ErrorCode } from "@foyer/contract";
import type { Kysely } from "kysely";
import type { Database, UserTable } from "../db/schema.js";
import { ApiError } from "../errors/api-error.js";
import { emitUserEvent } from "../events/event-data.js";
import type { Services } from "../services.js";
import { revokeSessions } from "./delete-user.js";

export type UserRestriction = "banned" | "locked";

/** The error a stopped user gets, or undefined for a user who may sign in. */
export function restrictionError(user: Pick<UserTable, "banned" | "locked">): ErrorCode | undefined {
  if (user.banned === 1) return "user_banned";
  if (user.locked === 1) return "user_locked";
  return undefined;
}

/** Throws `user_banned` / `user_locked` for a stopped user, `resource_not_found` for a missing one. */
export async function assertUserMayAuthenticate(
  db: Kysely<Database>,
  instanceId: string,
  userId: string,
): Promise<void> {
  const user = await db
    .selectFrom("users")
    .select(["banned", "locked"])
    .where("id", "=", userId)
    .where("instance_id", "=", instanceId)
    .executeTakeFirst();
  if (!user)
    throw new ApiError("resource_not_found", { longMessage: "No user with that id in this instance." });
  const code = restrictionError(user);
  if (code) throw new ApiError(code);
}

/**
 * Sets or clears a ban or lock. Setting one revokes every active session and drops the user's
 * pending connect flows in the same transaction, so no token is minted after it commits.
 * False when the user is not in this instance.
 */
export async function setUserRestriction(
  svc: Services,
  instanceId: string,
  userId: string,
  restriction: UserRestriction,
  on: boolean,
): Promise<boolean> {
  const now = svc.now();
  return svc.db.kysely.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable("users")
      .set({ [restriction]: on ? 1 : 0, updated_at: now })
      .where("id", "=", userId)
      .where("instance_id", "=", instanceId)
      .executeTakeFirst();
    if (result.numUpdatedRows !== 1n) return false;
    if (on) {
      await revokeSessions(trx, instanceId, userId, now);
      await trx
        .deleteFrom("oauth_transactions")
        .where("instance_id", "=", instanceId)
        .where("user_id", "=", userId)
        .execute();
    }
    await emitUserEvent(trx, instanceId, userId, "user.updated", now);
    return true;
  });
}
