/**
 * The user queries and actions behind the dashboard's Users pages, on the same domain functions
 * as the Backend API (listing, search, deletion, revocation), so both behave alike.
 */
import type { BackendUserJSON } from "@foyer/contract";
import type { SessionStatus, SessionTable } from "../../db/schema.js";
import type { Instance } from "../../instances/instances.js";
import type { Services } from "../../services.js";
import { sessionsOfUser } from "../../sessions/list-sessions.js";
import { effectiveStatus } from "../../sessions/session-status.js";
import { revokeSession } from "../../sessions/sign-out.js";
import { deleteUser } from "../../users/delete-user.js";
import { countUsers, listUsers } from "../../users/list-users.js";
import { findUser, loadUsersJson } from "../../users/users.js";

export const USERS_PAGE_SIZE = 20;
export const MAX_QUERY_LENGTH = 200;

/** The operator sees what the Backend API sees, private metadata included. */
export type UserView = BackendUserJSON;

/** One page of an instance's users, newest first, optionally filtered by a search and by "must reconnect". */
export async function searchUsers(
  svc: Services,
  instanceId: string,
  opts: { query?: string; page: number; needsReconnect?: boolean },
): Promise<{ users: UserView[]; total: number }> {
  const filter = {
    emailAddresses: [],
    userIds: [],
    query: opts.query?.trim().slice(0, MAX_QUERY_LENGTH) || undefined,
    needsReconnect: opts.needsReconnect,
  };
  const [rows, total] = await Promise.all([
    listUsers(svc, instanceId, {
      ...filter,
      limit: USERS_PAGE_SIZE,
      offset: (opts.page - 1) * USERS_PAGE_SIZE,
      orderBy: { field: "created_at", direction: "desc" },
    }),
    countUsers(svc, instanceId, filter),
  ]);
  return { users: await loadUsersJson(svc, instanceId, rows, "backend"), total };
}

export async function findUserView(
  svc: Services,
  instanceId: string,
  userId: string,
): Promise<UserView | undefined> {
  const user = await findUser(svc, instanceId, userId);
  return user ? (await loadUsersJson(svc, instanceId, [user], "backend"))[0] : undefined;
}

export type SessionView = SessionTable & { effective: SessionStatus };

/** A user's latest sessions, newest first, each with the status it has right now. */
export async function listUserSessions(
  svc: Services,
  instance: Instance,
  userId: string,
): Promise<SessionView[]> {
  const rows = await sessionsOfUser(svc, instance, userId);
  const now = svc.now();
  return rows.map((s) => ({ ...s, effective: effectiveStatus(s, instance, now) }));
}

/**
 * Revokes the user's active sessions: one (when sessionId is given) or all. Only sessions of this
 * user are touched, whatever id the form sends. Returns how many were revoked.
 */
export async function revokeUserSessions(
  svc: Services,
  instance: Instance,
  userId: string,
  sessionId?: string,
): Promise<number> {
  const sessions = await listUserSessions(svc, instance, userId);
  const targets = sessions.filter((s) => s.status === "active" && (!sessionId || s.id === sessionId));
  for (const s of targets) await revokeSession(svc, instance, s.id);
  return targets.length;
}

/** Deletes the user with their emails, Atlassian accounts (and tokens); sessions are revoked first. */
export function deleteUserOfInstance(svc: Services, instanceId: string, userId: string): Promise<boolean> {
  return deleteUser(svc, instanceId, userId);
}
