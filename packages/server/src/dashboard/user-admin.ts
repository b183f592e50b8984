/**
 * The user queries and actions the dashboard needs. Dashboard-local for now: the Backend API's
 * users and sessions modules were not committed when the dashboard was written; these follow the
 * same rules (every query confined to one instance, sessions revoked before a user is deleted) and
 * should give way to those modules once they land.
 */
import { type Expression, type SqlBool, sql } from "kysely";
import type { SessionTable, UserTable } from "../db/schema.js";
import type { Instance } from "../instances/instances.js";
import type { Services } from "../services.js";
import { loadUsersJson } from "../users/users.js";

export const USERS_PAGE_SIZE = 20;
const MAX_QUERY_LENGTH = 200;

export type UserView = Awaited<ReturnType<typeof loadUsersJson>>[number];

/** "%" and "_" typed by the operator match themselves, not any text. */
function likePattern(query: string): string {
  return `%${query.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

function matches(column: string, pattern: string): Expression<SqlBool> {
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
}

/** One page of an instance's users, newest first, optionally filtered by a substring. */
export async function searchUsers(
  svc: Services,
  instanceId: string,
  opts: { query?: string; page: number },
): Promise<{ users: UserView[]; total: number }> {
  const db = svc.db.kysely;
  const query = opts.query?.trim().slice(0, MAX_QUERY_LENGTH);
  let base = db.selectFrom("users").where("users.instance_id", "=", instanceId);
  if (query) {
    const p = likePattern(query);
    base = base.where((eb) =>
      eb.or([
        matches("users.id", p),
        matches("users.first_name", p),
        matches("users.last_name", p),
        matches("users.username", p),
        sql<SqlBool>`lower(coalesce(${sql.ref("users.first_name")}, '') || ' ' || coalesce(${sql.ref("users.last_name")}, '')) like ${p} escape '\\'`,
        eb(
          "users.id",
          "in",
          db
            .selectFrom("email_addresses")
            .select("user_id")
            .where("instance_id", "=", instanceId)
            .where(matches("email_address", p)),
        ),
        eb(
          "users.id",
          "in",
          db
            .selectFrom("external_accounts")
            .select("user_id")
            .where("instance_id", "=", instanceId)
            .where((e) => e.or([matches("provider_user_id", p), matches("email_address", p)])),
        ),
      ]),
    );
  }
  const [rows, count] = await Promise.all([
    base
      .selectAll("users")
      .orderBy("users.created_at", "desc")
      .orderBy("users.id")
      .limit(USERS_PAGE_SIZE)
      .offset((opts.page - 1) * USERS_PAGE_SIZE)
      .execute(),
    base.select((eb) => eb.fn.countAll<number | string>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { users: await loadUsersJson(db, instanceId, rows as UserTable[]), total: Number(count.n) };
}

export async function findUserView(
  svc: Services,
  instanceId: string,
  userId: string,
): Promise<UserView | undefined> {
  const user = await svc.db.kysely
    .selectFrom("users")
    .selectAll()
    .where("id", "=", userId)
    .where("instance_id", "=", instanceId)
    .executeTakeFirst();
  return user ? (await loadUsersJson(svc.db.kysely, instanceId, [user]))[0] : undefined;
}

export type SessionView = SessionTable & { live: boolean };

/** A user's sessions, newest first, with whether each can still mint tokens. */
export async function listUserSessions(
  svc: Services,
  instance: Instance,
  userId: string,
): Promise<SessionView[]> {
  const rows = await svc.db.kysely
    .selectFrom("sessions")
    .selectAll()
    .where("instance_id", "=", instance.id)
    .where("user_id", "=", userId)
    .orderBy("created_at", "desc")
    .limit(100)
    .execute();
  const now = svc.now();
  const idle = instance.session_inactivity_timeout_seconds;
  return rows.map((s) => ({
    ...s,
    live:
      s.status === "active" && now < s.expire_at && (idle === null || now - s.last_active_at < idle * 1000),
  }));
}

/** Revokes sessions of the user (one, or all when sessionId is undefined); returns how many. */
export async function revokeUserSessions(
  svc: Services,
  instanceId: string,
  userId: string,
  sessionId?: string,
): Promise<number> {
  const now = svc.now();
  let q = svc.db.kysely
    .updateTable("sessions")
    .set({ status: "revoked", ended_at: now, updated_at: now })
    .where("instance_id", "=", instanceId)
    .where("user_id", "=", userId)
    .where("status", "=", "active");
  if (sessionId) q = q.where("id", "=", sessionId);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/**
 * Deletes the user with their emails, Atlassian accounts (and tokens) and sessions. Sessions are
 * revoked first and pending connect flows dropped, so nothing keeps working for a removed user.
 */
export async function deleteUserOfInstance(
  svc: Services,
  instanceId: string,
  userId: string,
): Promise<boolean> {
  const now = svc.now();
  return svc.db.kysely.transaction().execute(async (trx) => {
    await trx
      .updateTable("sessions")
      .set({ status: "revoked", ended_at: now, updated_at: now })
      .where("instance_id", "=", instanceId)
      .where("user_id", "=", userId)
      .where("status", "=", "active")
      .execute();
    await trx
      .deleteFrom("oauth_transactions")
      .where("instance_id", "=", instanceId)
      .where("user_id", "=", userId)
      .execute();
    const res = await trx
      .deleteFrom("users")
      .where("id", "=", userId)
      .where("instance_id", "=", instanceId)
      .executeTakeFirst();
    return res.numDeletedRows === 1n;
  });
}
