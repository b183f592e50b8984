import type { Kysely } from "kysely";
import { preparedQuery } from "../db/prepared.js";
import type { Database } from "../db/schema.js";
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
