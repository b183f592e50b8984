import { prefixedCookieName } from "@foyer/contract";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { isLoopbackHost } from "../../instances/origins.js";
import type { Services } from "../../services.js";
import { DASHBOARD_PATH } from "./url.js";

/** The operator's session cookie. */
export const SESSION_COOKIE = "foyer_dashboard";
/** Binds the sign-in form to the browser that loaded it (there is no session to bind it to yet). */
export const SIGN_IN_CSRF_COOKIE = "foyer_dashboard_sign_in";

/**
 * HttpOnly so page scripts never see it, SameSite=Strict so no other site's link or form carries
 * it, Secure unless the dashboard is served over plain http on a loopback host, and confined to
 * /dashboard so the Frontend API and hosted pages on the same host never receive it.
 */
function options(svc: Services, maxAgeSeconds: number) {
  const url = new URL(svc.config.publicUrl);
  return {
    path: DASHBOARD_PATH,
    httpOnly: true,
    secure: url.protocol === "https:" || !isLoopbackHost(url.hostname),
    sameSite: "Strict" as const,
    maxAge: maxAgeSeconds,
  };
}

/** `__Secure-<name>` on an https dashboard (its path is /dashboard, so not `__Host-`). */
function cookieName(svc: Services, name: string): string {
  const https = new URL(svc.config.publicUrl).protocol === "https:";
  return prefixedCookieName(name, { https, path: DASHBOARD_PATH });
}

export function readCookie(c: Context, svc: Services, name: string): string | undefined {
  return getCookie(c, cookieName(svc, name)) || undefined;
}

export function writeCookie(c: Context, svc: Services, name: string, value: string, maxAgeMs: number): void {
  setCookie(c, cookieName(svc, name), value, options(svc, Math.floor(maxAgeMs / 1000)));
}

export function clearCookie(c: Context, svc: Services, name: string): void {
  const { path, secure } = options(svc, 0);
  deleteCookie(c, cookieName(svc, name), { path, secure });
}
