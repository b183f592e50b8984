import type { SessionStatus, SessionTable } from "../db/schema.js";
import type { Instance } from "../instances/instances.js";
import type { Services } from "../services.js";
import { liveSessionWhere } from "./session-status.js";

export interface SessionListQuery {
  userId?: string | undefined;
  clientId?: string | undefined;
  status?: SessionStatus | undefined;
  limit: number;
  offset: number;
}

/**
 * One page of an instance's sessions, newest first, with the total. Status filters match the
 * status reported: an `active` row past its lifetime or inactivity timeout is `expired`,
 * whether or not a mint has written that down yet.
 */
export async function listSessions(
  svc: Services,
  instance: Instance,
  q: SessionListQuery,
): Promise<{ rows: SessionTable[]; total: number }> {
  const now = svc.now();
  let base = svc.db.kysely.selectFrom("sessions").where("instance_id", "=", instance.id);
  if (q.userId) base = base.where("user_id", "=", q.userId);
  if (q.clientId) base = base.where("client_id", "=", q.clientId);
  if (q.status === "active") {
    base = base.where((eb) => liveSessionWhere(eb, instance, now));
  } else if (q.status === "expired") {
    base = base.where((eb) =>
      eb.or([
        eb("status", "=", "expired"),
        eb.and([eb("status", "=", "active"), eb.not(liveSessionWhere(eb, instance, now))]),
      ]),
    );
  } else if (q.status) {
    base = base.where("status", "=", q.status);
  }
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy("created_at", "desc").orderBy("id").limit(q.limit).offset(q.offset).execute(),
    base.select((eb) => eb.fn.countAll<number | string>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** One session of this instance (another instance's id finds nothing). */
export async function findSession(
  svc: Services,
  instance: Instance,
  sessionId: string,
): Promise<SessionTable | undefined> {
  return svc.db.kysely
    .selectFrom("sessions")
    .selectAll()
    .where("id", "=", sessionId)
    .where("instance_id", "=", instance.id)
    .executeTakeFirst();
}

/** A user's latest sessions (at most 100), newest first. */
export async function sessionsOfUser(
  svc: Services,
  instance: Instance,
  userId: string,
): Promise<SessionTable[]> {
  return svc.db.kysely
    .selectFrom("sessions")
    .selectAll()
    .where("instance_id", "=", instance.id)
    .where("user_id", "=", userId)
    .orderBy("created_at", "desc")
    .limit(100)
    .execute();
}

/**
 * The users this browser's client has signed in as (any session, ended ones too), most recent
 * first: whose Atlassian scopes a new sign-in from this browser must keep asking for.
 */
export async function userIdsOfClient(
  svc: Services,
  instance: Instance,
  clientId: string,
): Promise<string[]> {
  const rows = await svc.db.kysely
    .selectFrom("sessions")
    .select(["user_id"])
    .where("instance_id", "=", instance.id)
    .where("client_id", "=", clientId)
    .orderBy("created_at", "desc")
    .limit(20)
    .execute();
  return [...new Set(rows.map((r) => r.user_id))];
}
