import type { BackendUserJSON, FrontendUserJSON } from "@foyer/contract";
import type { UserTable } from "../db/schema.js";
import { atlassianAccountsOf } from "../external-accounts/atlassian-accounts.js";
import type { Services } from "../services.js";
import { type UserAudience, userJson } from "./user-json.js";

/** Loads users with their emails and external accounts in three queries, whatever the count. */
export async function loadUsersJson(
  svc: Services,
  instanceId: string,
  users: UserTable[],
  audience: "backend",
): Promise<BackendUserJSON[]>;
export async function loadUsersJson(
  svc: Services,
  instanceId: string,
  users: UserTable[],
  audience: "frontend",
): Promise<FrontendUserJSON[]>;
export async function loadUsersJson(
  svc: Services,
  instanceId: string,
  users: UserTable[],
  audience: UserAudience,
): Promise<Array<BackendUserJSON | FrontendUserJSON>> {
  if (users.length === 0) return [];
  const ids = users.map((u) => u.id);
  const [emails, accounts] = await Promise.all([
    svc.db.kysely
      .selectFrom("email_addresses")
      .selectAll()
      .where("instance_id", "=", instanceId)
      .where("user_id", "in", ids)
      .orderBy("created_at", "asc")
      .execute(),
    atlassianAccountsOf(svc, instanceId, ids),
  ]);
  return users.map((u) =>
    userJson(
      u,
      emails.filter((e) => e.user_id === u.id),
      accounts.filter((a) => a.row.user_id === u.id),
      audience,
    ),
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

/** What the hosted "signed in" page shows of a user: a display name, the primary email, the avatar. */
export async function userSummary(
  svc: Services,
  instanceId: string,
  userId: string,
): Promise<{ name: string; email: string | null; imageUrl: string | null } | undefined> {
  const row = await svc.db.kysely
    .selectFrom("users")
    .leftJoin("email_addresses", "email_addresses.id", "users.primary_email_address_id")
    .select(["users.first_name", "users.last_name", "users.image_url", "email_addresses.email_address"])
    .where("users.id", "=", userId)
    .where("users.instance_id", "=", instanceId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    name: [row.first_name, row.last_name].filter(Boolean).join(" ") || "Atlassian user",
    email: row.email_address ?? null,
    imageUrl: row.image_url,
  };
}
