import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { randomToken } from "../crypto/random.js";
import { isLoopbackHost } from "../instances/origins.js";

/**
 * The cookie that binds an OAuth transaction to the browser that started it. It is scoped to
 * the callback path only, and SameSite=Lax still sends it on Atlassian's top-level redirect
 * back. A callback carrying someone else's state (login CSRF, a leaked link) lacks it.
 */
export const BINDING_COOKIE = "__foyer_oauth";

/** Reuses the browser's binding value, so two sign-ins started in two tabs both complete. */
export function ensureBrowserBinding(c: Context, redirectUri: string): string {
  const url = new URL(redirectUri);
  const existing = getCookie(c, BINDING_COOKIE);
  const value = existing && /^[A-Za-z0-9_-]{43}$/.test(existing) ? existing : randomToken(32);
  setCookie(c, BINDING_COOKIE, value, {
    path: url.pathname,
    httpOnly: true,
    secure: url.protocol === "https:" || !isLoopbackHost(url.hostname),
    sameSite: "Lax",
    maxAge: 60 * 60,
  });
  return value;
}

export function readBrowserBinding(c: Context): string | undefined {
  return getCookie(c, BINDING_COOKIE) || undefined;
}
