import { CLIENT_COOKIE, prefixedCookieName } from "@foyer/contract";
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

/**
 * The client cookie's name for an instance: `__Host-__client` on an https Frontend API host of
 * its own (Path=/), `__Secure-__client` on an https path (development instances share the public
 * URL's host), the bare name on plain http. A prefixed cookie cannot have been planted over
 * plain http, nor (`__Host-`) by a sibling subdomain.
 */
export function clientCookieName(instance: Instance): string {
  const url = new URL(instance.frontend_api_url);
  const { path } = cookieOptions(instance, 0);
  return prefixedCookieName(CLIENT_COOKIE, { https: url.protocol === "https:", path });
}

export function readClientCookie(c: Context, instance: Instance): string | undefined {
  return getCookie(c, clientCookieName(instance)) || undefined;
}

export function writeClientCookie(c: Context, instance: Instance, token: string): void {
  setCookie(
    c,
    clientCookieName(instance),
    token,
    cookieOptions(instance, instance.session_max_lifetime_seconds),
  );
}

export function clearClientCookie(c: Context, instance: Instance): void {
  const { path, secure } = cookieOptions(instance, 0);
  deleteCookie(c, clientCookieName(instance), { path, secure });
}
