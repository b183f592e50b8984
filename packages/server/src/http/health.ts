import { Hono } from "hono";
import { sql } from "kysely";
import type { Services } from "../services.js";

export function healthRoutes(svc: Services): Hono {
  const r = new Hono();
  // Liveness: the process answers. Never touches the database, so a slow database does not get
  // a healthy process restarted.
  r.get("/healthz", (c) => c.json({ status: "ok" }));
  // Readiness: the database answers; load balancers stop sending traffic when it does not.
  r.get("/readyz", async (c) => {
    try {
      await sql`select 1`.execute(svc.db.kysely);
      return c.json({ status: "ready" });
    } catch {
      return c.json({ status: "unavailable", database: "unreachable" }, 503);
    }
  });
  return r;
}
