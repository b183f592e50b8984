import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { Instance } from "../instances/instances.js";
import { isLoopbackHost } from "../instances/origins.js";
import { type StartedFlow, type StartInput, startAtlassianFlow } from "../oauth/start.js";
import type { Services } from "../services.js";
import { userIdsOfClient } from "../sessions/list-sessions.js";
import { findClient } from "../sessions/sessions.js";
import { readClientCookie } from "./frontend/client-cookie.js";

/**
 * The cookie that binds an OAuth transaction to the browser that started it. It is scoped to
 * the callback path only, and SameSite=Lax still sends it on Atlassian's top-level redirect
 * back. A callback carrying someone else's state (login CSRF, a leaked link) lacks it.
 * The value itself is chosen by the flow (oauth/start.ts); this file only carries it.
 */
export const BINDING_COOKIE = "__foyer_oauth";

export function readBrowserBinding(c: Context): string | undefined {
  return getCookie(c, BINDING_COOKIE) || undefined;
}

/** Sets the binding cookie on the callback's path (`redirectUri`), Secure unless loopback http. */
export function writeBrowserBinding(c: Context, value: string, redirectUri: string): void {
  const url = new URL(redirectUri);
  setCookie(c, BINDING_COOKIE, value, {
    path: url.pathname,
    httpOnly: true,
    secure: url.protocol === "https:" || !isLoopbackHost(url.hostname),
    sameSite: "Lax",
    maxAge: 60 * 60,
  });
}

/** Starts an Atlassian flow for this browser: its binding cookie in, the (new) binding cookie out. */
export async function startBoundFlow(
  svc: Services,
  c: Context,
  instance: Instance,
  input: Omit<StartInput, "browserBinding">,
): Promise<StartedFlow> {
  const client =
    input.purpose === "sign_in" ? await findClient(svc, instance, readClientCookie(c)) : undefined;
  const flow = await startAtlassianFlow(svc, instance, {
    ...input,
    browserBinding: readBrowserBinding(c),
    knownUserIds: client ? await userIdsOfClient(svc, instance, client.id) : [],
  });
  writeBrowserBinding(c, flow.browserBinding.value, flow.browserBinding.redirectUri);
  return flow;
}
