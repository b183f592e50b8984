import type { Kysely } from "kysely";
import { preparedQuery } from "../db/prepared.js";
import type { Database, ExternalAccountTable } from "../db/schema.js";
import type { Services } from "../services.js";
import { type ExternalAccount, externalAccountFromRow } from "./external-account.js";

const PROVIDER = "oauth_atlassian";

/** Oldest first, so a user's first connected account stays first. */
function accountsOf(db: Kysely<Database>, instanceId: string) {
  return db
    .selectFrom("external_accounts")
    .selectAll()
    .where("instance_id", "=", instanceId)
    .where("provider", "=", PROVIDER)
    .orderBy("created_at", "asc");
}

// One user's accounts is behind every token fetch: compiled once (see db/prepared.ts).
const accountsOfOneUser = preparedQuery((db, instanceId: string, userId: string) =>
  accountsOf(db, instanceId).where("user_id", "=", userId),
);

/**
 * The Atlassian accounts of these users in this instance, in one query whatever the count: the
 * one way users, clients, the dashboard and the token endpoint read a user's accounts.
 */
export async function atlassianAccountsOf(
  svc: Services,
  instanceId: string,
  userIds: readonly string[],
): Promise<ExternalAccount[]> {
  if (userIds.length === 0) return [];
  const rows =
    userIds.length === 1
      ? await accountsOfOneUser(svc.db.kysely, instanceId, userIds[0]!)
      : await accountsOf(svc.db.kysely, instanceId)
          .where("user_id", "in", [...userIds])
          .execute();
  return rows.map(externalAccountFromRow);
}

// The token endpoint's one read: the user (is it there, is it stopped?) and its accounts together.
const userWithAccounts = preparedQuery((db, instanceId: string, userId: string) =>
  db
    .selectFrom("users")
    .leftJoin("external_accounts", (join) =>
      join
        .onRef("external_accounts.user_id", "=", "users.id")
        .onRef("external_accounts.instance_id", "=", "users.instance_id")
        .on("external_accounts.provider", "=", PROVIDER),
    )
    .selectAll("external_accounts")
    .select(["users.banned as user_banned", "users.locked as user_locked"])
    .where("users.id", "=", userId)
    .where("users.instance_id", "=", instanceId)
    .orderBy("external_accounts.created_at", "asc"),
);

/**
 * A user's restriction flags and Atlassian accounts in one query (the token endpoint runs on
 * every app request: one round trip, not two). `user` is undefined when there is no such user.
 */
export async function userAndAtlassianAccounts(
  svc: Services,
  instanceId: string,
  userId: string,
): Promise<{ user: { banned: number; locked: number } | undefined; accounts: ExternalAccount[] }> {
  const rows = await userWithAccounts(svc.db.kysely, instanceId, userId);
  const first = rows[0];
  if (!first) return { user: undefined, accounts: [] };
  const accounts = rows
    .filter((r) => r.id !== null)
    .map(({ user_banned: _b, user_locked: _l, ...row }) =>
      externalAccountFromRow(row as ExternalAccountTable),
    );
  return { user: { banned: first.user_banned ?? 0, locked: first.user_locked ?? 0 }, accounts };
}
