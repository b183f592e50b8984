import { Hono } from "hono";
import { probeDatabase } from "../db/database.js";
import { ApiError } from "../errors/api-error.js";
import type { Services } from "../services.js";
import { DATABASE_RETRY_AFTER } from "./errors.js";

export function healthRoutes(svc: Services): Hono {
  const r = new Hono();
  // Liveness: the process answers. Never touches the database, so a slow database does not get
  // a healthy process restarted.
  r.get("/healthz", (c) => c.json({ status: "ok" }));
  // Readiness: the database can be read and written; load balancers stop sending traffic when
  // it cannot. Retry-After tells them (and people) when to look again; `database` tells the
  // operator what to fix (unreachable, read_only, full), the code is the one requests get.
  r.get("/readyz", async (c) => {
    const fault = await probeDatabase(svc.db, svc.now());
    if (!fault) return c.json({ status: "ready" });
    const error = new ApiError("database_unavailable", { meta: { database: fault } });
    return c.json({ status: "unavailable", database: fault, ...error.toBody() }, 503, {
      "Retry-After": DATABASE_RETRY_AFTER,
    });
  });
  return r;
}
