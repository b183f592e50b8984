import { Hono } from "hono";
import { z } from "zod";
import { ApiError } from "../../errors/api-error.js";
import type { Services } from "../../services.js";
import { findSession, listSessions } from "../../sessions/list-sessions.js";
import { backendSessionJson } from "../../sessions/session-json.js";
import { revokeSession } from "../../sessions/sign-out.js";
import type { InstanceEnv } from "../auth.js";

export const listQuery = z.object({
  user_id: z.string().max(100).optional(),
  client_id: z.string().max(100).optional(),
  status: z.enum(["active", "ended", "revoked", "expired"]).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(10),
  offset: z.coerce.number().int().min(0).default(0),
  paginated: z.enum(["true", "false"]).optional(),
});

/**
 * Sessions on the Backend API, in Clerk's shapes. Every query is scoped to the secret key's
 * instance: another instance's session id is simply not found.
 *
 * The list answers `{ data, total_count }` when `paginated=true` (what @clerk/backend's
 * `sessions.getSessionList` sends) and a plain array otherwise, as Clerk's API does.
 */
export function sessionRoutes(svc: Services): Hono<InstanceEnv> {
  const r = new Hono<InstanceEnv>();

  r.get("/sessions", async (c) => {
    const instance = c.get("instance");
    const parsed = listQuery.safeParse(c.req.query());
    if (!parsed.success) {
      const param = String(parsed.error.issues[0]?.path[0] ?? "");
      throw new ApiError("query_param_invalid", { meta: { param_name: param } });
    }
    const q = parsed.data;
    const { rows, total } = await listSessions(svc, instance, {
      userId: q.user_id,
      clientId: q.client_id,
      status: q.status,
      limit: q.limit,
      offset: q.offset,
    });
    const now = svc.now();
    const data = rows.map((s) => backendSessionJson(s, instance, now));
    return c.json(q.paginated === "true" ? { data, total_count: total } : data);
  });

  r.get("/sessions/:id", async (c) => {
    const instance = c.get("instance");
    const row = await findSession(svc, instance, c.req.param("id"));
    if (!row) throw new ApiError("session_not_found");
    return c.json(backendSessionJson(row, instance, svc.now()));
  });

  r.post("/sessions/:id/revoke", async (c) => {
    const instance = c.get("instance");
    const row = await revokeSession(svc, instance, c.req.param("id"));
    return c.json(backendSessionJson(row, instance, svc.now()));
  });

  return r;
}
