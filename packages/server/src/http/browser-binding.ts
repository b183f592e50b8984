import { browserBindingCookieName, prefixedCookieName } from "@foyer/contract";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Instance } from "../instances/instances.js";
import { isLoopbackHost } from "../instances/origins.js";
import type { BindingOf, BoundTransaction } from "../oauth/callback.js";
import { type StartedFlow, type StartInput, startAtlassianFlow } from "../oauth/start.js";
import { TRANSACTION_TTL_MS } from "../oauth/transactions.js";
import type { Services } from "../services.js";
import { userIdsOfClient } from "../sessions/list-sessions.js";
import { findClient } from "../sessions/sessions.js";
import { readClientCookie } from "./frontend/client-cookie.js";

/**
 * The cookie that binds one OAuth transaction to the browser that started it. Each transaction
 * has a cookie of its own (`foyer_oauth_<transaction id>`) holding a fresh random value Foyer
 * chose, so two flows in two tabs both complete and no value the browser already held is ever
 * adopted. On https it is `__Host-` with Path=/: a sibling subdomain can neither set nor shadow a
 * `__Host-` cookie (it may carry no Domain), which is what stops a planted binding, since an
 * attacker knows the name and value of a transaction they started themselves. The path-scoped
 * alternative (`__Secure-`, Path=<callback>) would stop nothing of the kind: `__Secure-` cookies
 * can be set for a parent domain by any https sibling. SameSite=Lax still sends it on Atlassian's
 * top-level redirect back; it lives as long as the transaction and is cleared at the callback.
 */
function bindingCookie(transaction: BoundTransaction) {
  const url = new URL(transaction.redirectUri);
  const https = url.protocol === "https:";
  return {
    name: prefixedCookieName(browserBindingCookieName(transaction.id), { https, path: "/" }),
    options: {
      path: "/",
      httpOnly: true,
      secure: https || !isLoopbackHost(url.hostname),
      sameSite: "Lax" as const,
    },
  };
}

/** Sets the binding cookie of one transaction (its id and the callback it returns to). */
export function writeBrowserBinding(c: Context, transaction: BoundTransaction, value: string): void {
  const { name, options } = bindingCookie(transaction);
  setCookie(c, name, value, { ...options, maxAge: Math.floor(TRANSACTION_TTL_MS / 1000) });
}

/**
 * Reads a transaction's binding cookie for the callback, remembering which one was read so the
 * caller can clear it once the transaction is spent ({@link clearReadBindings}).
 */
export function bindingReader(c: Context): { bindingOf: BindingOf; read: BoundTransaction[] } {
  const read: BoundTransaction[] = [];
  return {
    read,
    bindingOf: (transaction) => {
      read.push(transaction);
      return getCookie(c, bindingCookie(transaction).name) || undefined;
    },
  };
}

export function clearReadBindings(c: Context, read: readonly BoundTransaction[]): void {
  for (const transaction of read) {
    const { name, options } = bindingCookie(transaction);
    deleteCookie(c, name, { path: options.path, secure: options.secure });
  }
}

/** Starts an Atlassian flow for this browser and sets the new transaction's binding cookie. */
export async function startBoundFlow(
  svc: Services,
  c: Context,
  instance: Instance,
  input: StartInput,
): Promise<StartedFlow> {
  const client =
    input.purpose === "sign_in" ? await findClient(svc, instance, readClientCookie(c, instance)) : undefined;
  const flow = await startAtlassianFlow(svc, instance, {
    ...input,
    knownUserIds: client ? await userIdsOfClient(svc, instance, client.id) : [],
  });
  writeBrowserBinding(c, flow.browserBinding.transaction, flow.browserBinding.value);
  return flow;
}
