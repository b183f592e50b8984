import { Hono } from "hono";
import { DASHBOARD_JS } from "./script.js";
import { DASHBOARD_CSS } from "./style.js";

/** The stylesheet and script; cached briefly so an upgrade shows within minutes. */
export function assetRoutes(): Hono {
  const r = new Hono();
  const cache = "public, max-age=300";
  r.get("/dashboard.css", (c) =>
    c.body(DASHBOARD_CSS, 200, { "Content-Type": "text/css; charset=utf-8", "Cache-Control": cache }),
  );
  r.get("/dashboard.js", (c) =>
    c.body(DASHBOARD_JS, 200, { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": cache }),
  );
  return r;
}
