import type { MiddlewareHandler } from "hono";
import { ApiError } from "../../errors/api-error.js";
import { originAllowed } from "../../instances/instances.js";
import type { Services } from "../../services.js";
import type { InstanceEnv } from "../auth.js";
import { originNotAllowedMessage } from "./origin-help.js";

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const ALLOWED_METHODS = "GET, POST, PATCH, DELETE, OPTIONS";
const ALLOWED_HEADERS = "Content-Type, Authorization";

/**
 * CORS and cross-site refusal for one instance's Frontend API (runs after the instance is known).
 *
 * - Credentialed CORS only for the instance's exact allowed origins: the Origin is reflected,
 *   never `*`, with `Vary: Origin` so caches never hand one origin's answer to another.
 * - A state-changing request whose Origin is neither an allowed origin nor the Frontend API's own
 *   is refused before any handler runs (the cookie is SameSite=Lax, but Lax still sends it on
 *   same-site cross-origin requests and on top-level form POSTs from some browsers' defaults).
 *   With no Origin at all, `Sec-Fetch-Site: cross-site` is refused likewise.
 */
export function frontendCors(svc: Services): MiddlewareHandler<InstanceEnv> {
  return async (c, next) => {
    const instance = c.get("instance");
    const origin = c.req.header("origin");
    const allowed = origin !== undefined && originAllowed(instance, origin);
    const own = origin !== undefined && origin === new URL(instance.frontend_api_url).origin;

    if (c.req.method === "OPTIONS" && c.req.header("access-control-request-method")) {
      // The browser shows the page only "CORS failed"; the words are for curl and the
      // network panel, and @foyer/js asks /v1/origin_check to say the same in the console.
      if (!allowed) {
        throw new ApiError("cross_site_request_refused", {
          headers: { Vary: "Origin" },
          ...(origin ? { longMessage: originNotAllowedMessage(svc, instance, origin) } : {}),
        });
      }
      return c.body(null, 204, {
        "Access-Control-Allow-Origin": origin!,
        "Access-Control-Allow-Credentials": "true",
        "Access-Control-Allow-Methods": ALLOWED_METHODS,
        "Access-Control-Allow-Headers": ALLOWED_HEADERS,
        "Access-Control-Max-Age": "600",
        Vary: "Origin",
      });
    }

    if (STATE_CHANGING.has(c.req.method)) {
      // Under Referrer-Policy: no-referrer (every Foyer page) browsers send `Origin: null` on form
      // POSTs; then only Sec-Fetch-Site, which pages cannot forge, can vouch for same-origin.
      const fetchSite = c.req.header("sec-fetch-site")?.toLowerCase();
      const crossSite =
        origin !== undefined && origin !== "null"
          ? !allowed && !own
          : origin === "null"
            ? fetchSite !== "same-origin"
            : fetchSite === "cross-site";
      if (crossSite) {
        throw new ApiError("cross_site_request_refused", {
          ...(origin && origin !== "null"
            ? { longMessage: originNotAllowedMessage(svc, instance, origin) }
            : {}),
        });
      }
    }

    await next();
    c.header("Vary", "Origin", { append: true });
    if (allowed) {
      c.header("Access-Control-Allow-Origin", origin);
      c.header("Access-Control-Allow-Credentials", "true");
    }
  };
}
