import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import type { Context } from "hono";
import type Provider from "oidc-provider";
import { registrationBody } from "../../authorization-server/client-scope.js";
import { oauthPaths } from "../../authorization-server/provider.js";
import { ApiError } from "../../errors/api-error.js";
import type { Instance } from "../../instances/instances.js";
import { HSTS } from "../security-headers.js";

/**
 * The one place Hono hands a request to oidc-provider (a Koa app that needs Node's req/res).
 *
 * - Under @hono/node-server the Node request and response are `c.env.incoming`/`outgoing`. A
 *   socket-less call (`app.fetch(request)` in a test) has none: answered with the coded 500
 *   `authorization_server_unavailable`, never a crash.
 * - oidc-provider routes on the path under its mount and builds URLs from `originalUrl` (its
 *   "Mounting oidc-provider" contract). The host router may have rewritten a custom host onto
 *   /fapi/<id>, so both are computed here from the instance: `url` is the path under the issuer,
 *   `originalUrl` the issuer's own path plus that.
 * - The body was possibly read already (Hono's body limit, the host router's Request copy), so
 *   oidc-provider gets a stand-in request carrying the body read once through Hono (at most
 *   Foyer's body limit), with the original headers and socket.
 */
export interface NodeBindings {
  incoming: IncomingMessage;
  outgoing: ServerResponse;
}

export function nodeBindings(c: Context): NodeBindings {
  const env = c.env as Partial<NodeBindings> | undefined;
  if (!env?.incoming || !env.outgoing) throw new ApiError("authorization_server_unavailable");
  return { incoming: env.incoming, outgoing: env.outgoing };
}

/** The request's path and query under the issuer, e.g. `/oauth/token`. */
export function pathUnderIssuer(c: Context, instance: Instance): string {
  const url = new URL(c.req.url);
  const mount = `/fapi/${instance.id}`;
  const path = url.pathname.startsWith(`${mount}/`) ? url.pathname.slice(mount.length) : url.pathname;
  return `${path}${url.search}`;
}

/** A Node request oidc-provider can read: the original's headers and socket, the given path and body. */
export function providerRequest(
  incoming: IncomingMessage,
  instance: Instance,
  opts: { method: string; path: string; body?: Buffer },
): IncomingMessage {
  const req = Readable.from(
    opts.body && opts.body.length > 0 ? [opts.body] : [],
  ) as unknown as IncomingMessage;
  // With FOYER_TRUST_PROXY, Koa would also believe X-Forwarded-Host; Foyer routes by Host only
  // (host-routing.ts), so the provider builds its URLs from that same Host.
  const headers = { ...incoming.headers };
  delete headers["x-forwarded-host"];
  // The body is handed over whole: its length is what was read (and possibly rewritten).
  delete headers["transfer-encoding"];
  if (opts.body) headers["content-length"] = String(opts.body.length);
  Object.assign(req, {
    method: opts.method,
    url: opts.path,
    originalUrl: `${oauthPaths(instance.frontend_api_url).base}${opts.path}`,
    headers,
    rawHeaders: incoming.rawHeaders,
    httpVersion: incoming.httpVersion,
    httpVersionMajor: incoming.httpVersionMajor,
    httpVersionMinor: incoming.httpVersionMinor,
    socket: incoming.socket,
    connection: incoming.socket,
    complete: true,
  });
  return req;
}

/** The headers security-headers.ts puts on every Hono answer, put on the Node response instead. */
export function applySecurityHeaders(outgoing: ServerResponse, https: boolean): void {
  if (https) outgoing.setHeader("Strict-Transport-Security", HSTS);
  outgoing.setHeader("X-Content-Type-Options", "nosniff");
  outgoing.setHeader("X-Frame-Options", "DENY");
  outgoing.setHeader("Referrer-Policy", "no-referrer");
}

const handlers = new WeakMap<Provider, ReturnType<Provider["callback"]>>();

/** Lets oidc-provider answer the request itself, on the Node response; resolves once it has. */
export async function runProvider(
  provider: Provider,
  c: Context,
  instance: Instance,
  https: boolean,
  path: string = pathUnderIssuer(c, instance),
): Promise<void> {
  const { incoming, outgoing } = nodeBindings(c);
  const method = c.req.method;
  const read = method === "POST" ? Buffer.from(await c.req.arrayBuffer()) : undefined;
  const body = read && path.startsWith("/oauth/register") ? registrationBody(read) : read;
  let handler = handlers.get(provider);
  if (!handler) {
    handler = provider.callback();
    handlers.set(provider, handler);
  }
  applySecurityHeaders(outgoing, https);
  await handler(providerRequest(incoming, instance, { method, path, body }), outgoing);
}
