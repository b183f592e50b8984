import { Hono } from "hono";
import { databaseAnswers } from "../db/database.js";
import type { Services } from "../services.js";

export function healthRoutes(svc: Services): Hono {
  const r = new Hono();
  // Liveness: the process answers. Never touches the database, so a slow database does not get
  // a healthy process restarted.
  r.get("/healthz", (c) => c.json({ status: "ok" }));
  // Readiness: the database can be read and written; load balancers stop sending traffic when
  // it cannot. Retry-After tells them (and people) when to look again.
  r.get("/readyz", async (c) => {
    if (await databaseAnswers(svc.db, svc.now())) return c.json({ status: "ready" });
    return c.json({ status: "unavailable", database: "unreachable" }, 503, { "Retry-After": "2" });
  });
  return r;
}
