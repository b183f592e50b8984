import { Hono } from "hono";
import { z } from "zod";
import { ApiError } from "../../errors/api-error.js";
import type { Services } from "../../services.js";
import { backendSessionJson } from "../../sessions/session-json.js";
import { revokeSession } from "../../sessions/sign-out.js";
import type { InstanceEnv } from "../auth.js";

const listQuery = z.object({
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
    const now = svc.now();
    const idle = instance.session_inactivity_timeout_seconds;
    let base = svc.db.kysely.selectFrom("sessions").where("instance_id", "=", instance.id);
    if (q.user_id) base = base.where("user_id", "=", q.user_id);
    if (q.client_id) base = base.where("client_id", "=", q.client_id);
    // Status filters match the status reported: an `active` row past its lifetime or inactivity
    // timeout is `expired`, whether or not a mint has written that down yet.
    if (q.status === "active") {
      base = base.where("status", "=", "active").where("expire_at", ">", now);
      if (idle !== null) base = base.where("last_active_at", ">", now - idle * 1000);
    } else if (q.status === "expired") {
      base = base.where((eb) =>
        eb.or([
          eb("status", "=", "expired"),
          eb.and([
            eb("status", "=", "active"),
            eb.or([
              eb("expire_at", "<=", now),
              ...(idle !== null ? [eb("last_active_at", "<=", now - idle * 1000)] : []),
            ]),
          ]),
        ]),
      );
    } else if (q.status) {
      base = base.where("status", "=", q.status);
    }
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy("created_at", "desc").orderBy("id").limit(q.limit).offset(q.offset).execute(),
      base.select((eb) => eb.fn.countAll<number | string>().as("n")).executeTakeFirstOrThrow(),
    ]);
    const data = rows.map((s) => backendSessionJson(s, instance, now));
    return c.json(q.paginated === "true" ? { data, total_count: Number(count.n) } : data);
  });

  r.get("/sessions/:id", async (c) => {
    const instance = c.get("instance");
    const row = await svc.db.kysely
      .selectFrom("sessions")
      .selectAll()
      .where("id", "=", c.req.param("id"))
      .where("instance_id", "=", instance.id)
      .executeTakeFirst();
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
