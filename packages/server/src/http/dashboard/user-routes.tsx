import type { Context, Hono } from "hono";
import { ApiError } from "../../errors/api-error.js";
import type { Services } from "../../services.js";
import { setUserRestriction, type UserRestriction } from "../../users/restrictions.js";
import type { DashboardEnv } from "./guard.js";
import { type InstanceContext, instancePath, loadInstanceContext } from "./instance-context.js";
import { type NoticeCode, noticeText, withNotice } from "./notices.js";
import { render } from "./render.js";
import {
  deleteUserOfInstance,
  findUserView,
  listUserSessions,
  MAX_QUERY_LENGTH,
  revokeUserSessions,
  searchUsers,
  USERS_PAGE_SIZE,
} from "./user-admin.js";
import { DeleteUserPage, UserPage } from "./views/user.js";
import { UsersPage } from "./views/users.js";

function pageNumber(raw: string | undefined): number {
  if (raw === undefined || raw === "") return 1;
  if (!/^\d{1,6}$/.test(raw) || Number(raw) < 1) {
    throw new ApiError("query_param_invalid", { meta: { param_name: "page" } });
  }
  return Number(raw);
}

/** The user, within this instance only: another instance's user id is simply not found. */
async function loadUser(
  svc: Services,
  c: Context<DashboardEnv>,
): Promise<{ ctx: InstanceContext; user: NonNullable<Awaited<ReturnType<typeof findUserView>>> }> {
  const ctx = await loadInstanceContext(svc, c.req.param("id") ?? "");
  const userId = c.req.param("userId") ?? "";
  const user = await findUserView(svc, ctx.instance.id, userId);
  if (!user) throw new ApiError("resource_not_found", { meta: { user_id: userId } });
  return { ctx, user };
}

/** Users of an instance: search, details, sessions, ban and lock, deletion. */
export function userRoutes(r: Hono<DashboardEnv>, svc: Services): void {
  r.get("/instances/:id/users", async (c) => {
    const ctx = await loadInstanceContext(svc, c.req.param("id"));
    const query = (c.req.query("query") ?? "").trim().slice(0, MAX_QUERY_LENGTH);
    const page = pageNumber(c.req.query("page"));
    // The Backend API's needs_reconnect filter: users whose Atlassian grant died.
    const needsReconnect = c.req.query("needs_reconnect") === "true";
    const { users, total } = await searchUsers(svc, ctx.instance.id, {
      query,
      page,
      needsReconnect: needsReconnect || undefined,
    });
    return render(
      c,
      <UsersPage
        ctx={ctx}
        users={users}
        total={total}
        page={page}
        pageSize={USERS_PAGE_SIZE}
        query={query}
        needsReconnect={needsReconnect}
        csrf={c.get("dashboard").csrfToken}
        notice={noticeText(c.req.query("notice"))}
      />,
    );
  });

  r.get("/instances/:id/users/:userId", async (c) => {
    const { ctx, user } = await loadUser(svc, c);
    const sessions = await listUserSessions(svc, ctx.instance, user.id);
    return render(
      c,
      <UserPage
        ctx={ctx}
        user={user}
        sessions={sessions}
        now={svc.now()}
        csrf={c.get("dashboard").csrfToken}
        notice={noticeText(c.req.query("notice"))}
      />,
    );
  });

  const userPath = (instanceId: string, userId: string) =>
    instancePath(instanceId, `users/${encodeURIComponent(userId)}`);

  r.post("/instances/:id/users/:userId/sessions/revoke-all", async (c) => {
    const { ctx, user } = await loadUser(svc, c);
    await revokeUserSessions(svc, ctx.instance, user.id);
    return c.redirect(withNotice(userPath(ctx.instance.id, user.id), "sessions_revoked"), 303);
  });

  r.post("/instances/:id/users/:userId/sessions/:sessionId/revoke", async (c) => {
    const { ctx, user } = await loadUser(svc, c);
    const sessionId = c.req.param("sessionId");
    const count = await revokeUserSessions(svc, ctx.instance, user.id, sessionId);
    if (count === 0) throw new ApiError("session_not_found", { meta: { session_id: sessionId } });
    return c.redirect(withNotice(userPath(ctx.instance.id, user.id), "session_revoked"), 303);
  });

  // Ban / unban / lock / unlock: the same domain function as the Backend API's POSTs.
  const actions: Array<[string, UserRestriction, boolean, NoticeCode]> = [
    ["ban", "banned", true, "user_banned"],
    ["unban", "banned", false, "user_unbanned"],
    ["lock", "locked", true, "user_locked"],
    ["unlock", "locked", false, "user_unlocked"],
  ];
  for (const [action, restriction, on, notice] of actions) {
    r.post(`/instances/:id/users/:userId/${action}`, async (c) => {
      const { ctx, user } = await loadUser(svc, c);
      await setUserRestriction(svc, ctx.instance.id, user.id, restriction, on);
      return c.redirect(withNotice(userPath(ctx.instance.id, user.id), notice), 303);
    });
  }

  r.get("/instances/:id/users/:userId/delete", async (c) => {
    const { ctx, user } = await loadUser(svc, c);
    return render(c, <DeleteUserPage ctx={ctx} user={user} csrf={c.get("dashboard").csrfToken} />);
  });

  r.post("/instances/:id/users/:userId/delete", async (c) => {
    const { ctx, user } = await loadUser(svc, c);
    await deleteUserOfInstance(svc, ctx.instance.id, user.id);
    return c.redirect(withNotice(instancePath(ctx.instance.id, "users"), "user_deleted"), 303);
  });
}
