import { CLIENT_COOKIE } from "@foyer/contract";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Instance } from "../../instances/instances.js";
import { isLoopbackHost } from "../../instances/origins.js";

/** The long-lived browser cookie on the Frontend API that identifies a client (its sessions). */
export { CLIENT_COOKIE };

/** Cookie attributes for an instance: scoped to its Frontend API path, Secure unless loopback http. */
export function cookieOptions(instance: Instance, maxAgeSeconds: number) {
  const url = new URL(instance.frontend_api_url);
  const secure = url.protocol === "https:" || !isLoopbackHost(url.hostname);
  return {
    path: url.pathname === "/" ? "/" : url.pathname,
    httpOnly: true,
    secure,
    sameSite: "Lax" as const,
    maxAge: maxAgeSeconds,
  };
}

export function readClientCookie(c: Context): string | undefined {
  return getCookie(c, CLIENT_COOKIE) || undefined;
}

export function writeClientCookie(c: Context, instance: Instance, token: string): void {
  setCookie(c, CLIENT_COOKIE, token, cookieOptions(instance, instance.session_max_lifetime_seconds));
}

export function clearClientCookie(c: Context, instance: Instance): void {
  const { path, secure } = cookieOptions(instance, 0);
  deleteCookie(c, CLIENT_COOKIE, { path, secure });
}
