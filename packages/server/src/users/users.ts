import type { Kysely } from "kysely";
import type { Database, EmailAddressTable, ExternalAccountTable, UserTable } from "../db/schema.js";
import type { Services } from "../services.js";
import { userJson } from "./user-json.js";

/** Loads users with their emails and external accounts in three queries, whatever the count. */
export async function loadUsersJson(
  db: Kysely<Database>,
  instanceId: string,
  users: UserTable[],
  opts: { includePrivate: boolean } = { includePrivate: true },
) {
  if (users.length === 0) return [];
  const ids = users.map((u) => u.id);
  const [emails, accounts] = await Promise.all([
    db
      .selectFrom("email_addresses")
      .selectAll()
      .where("instance_id", "=", instanceId)
      .where("user_id", "in", ids)
      .orderBy("created_at", "asc")
      .execute(),
    db
      .selectFrom("external_accounts")
      .selectAll()
      .where("instance_id", "=", instanceId)
      .where("user_id", "in", ids)
      .orderBy("created_at", "asc")
      .execute(),
  ]);
  const byUser = <T extends { user_id: string }>(rows: T[], id: string) =>
    rows.filter((r) => r.user_id === id);
  return users.map((u) =>
    userJson(u, byUser<EmailAddressTable>(emails, u.id), byUser<ExternalAccountTable>(accounts, u.id), opts),
  );
}

/** One user of this instance, or undefined (another instance's user id finds nothing). */
export async function findUser(
  svc: Services,
  instanceId: string,
  userId: string,
): Promise<UserTable | undefined> {
  return svc.db.kysely
    .selectFrom("users")
    .selectAll()
    .where("id", "=", userId)
    .where("instance_id", "=", instanceId)
    .executeTakeFirst();
}
