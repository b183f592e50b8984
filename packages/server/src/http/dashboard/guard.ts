import type { MiddlewareHandler } from "hono";
import { ApiError } from "../../errors/api-error.js";
import {
  csrfTokenMatches,
  type DashboardSession,
  findDashboardSession,
} from "../../operators/dashboard-sessions.js";
import type { Services } from "../../services.js";
import { readCookie, SESSION_COOKIE } from "./cookies.js";
import { CSRF_FIELD, readForm } from "./form.js";
import { DASHBOARD_PATH } from "./url.js";

export type DashboardEnv = { Variables: { dashboard: DashboardSession } };

/**
 * Pages load scripts and styles from /dashboard/assets only: no inline script, no other origin.
 * So even if some text escaped escaping, an injected <script> or onerror= handler could not run.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** Headers of every dashboard response; pages show secrets, so nothing is cached. */
export function dashboardHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.header("Content-Security-Policy", DASHBOARD_CSP);
    c.header("X-Frame-Options", "DENY");
    if (!c.res.headers.has("Cache-Control")) c.header("Cache-Control", "no-store");
  };
}

function isUnsafe(method: string): boolean {
  return method !== "GET" && method !== "HEAD" && method !== "OPTIONS";
}

/**
 * State-changing requests must come from the dashboard's own origin. Browsers send Origin on
 * every POST; when a privacy setting turns it into "null" (or a client leaves it out),
 * Sec-Fetch-Site, which pages cannot forge, must say same-origin. The CSRF token is checked as well.
 */
export function sameOriginOnly(svc: Services): MiddlewareHandler {
  const expected = new URL(svc.config.publicUrl).origin;
  return async (c, next) => {
    if (isUnsafe(c.req.method)) {
      const origin = c.req.header("origin");
      const fetchSite = c.req.header("sec-fetch-site");
      const ok =
        origin === expected || ((origin === undefined || origin === "null") && fetchSite === "same-origin");
      if (!ok) throw new ApiError("cross_site_request_refused");
    }
    await next();
  };
}

/**
 * Every page and form behind sign-in: a live server-side session from the cookie, and on POST the
 * session's CSRF token in the form, compared in constant time.
 */
export function requireSession(svc: Services): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    const session = await findDashboardSession(svc, readCookie(c, svc, SESSION_COOKIE));
    if (!session) return c.redirect(`${DASHBOARD_PATH}/sign-in`, 303);
    if (isUnsafe(c.req.method)) {
      const form = await readForm(c);
      if (!csrfTokenMatches(session.token, form.get(CSRF_FIELD) ?? undefined)) {
        throw new ApiError("csrf_token_invalid");
      }
    }
    c.set("dashboard", session);
    await next();
  };
}
