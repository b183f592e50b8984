import type { MiddlewareHandler } from "hono";
import { ApiError } from "../errors/api-error.js";
import type { Services } from "../services.js";

/** Probed by load balancers straight at the process, not through the TLS proxy. */
const DIRECT_PATHS = new Set(["/healthz", "/readyz"]);

/**
 * Behind a trusted proxy (FOYER_TRUST_PROXY) on an https deployment, a request the proxy does not
 * mark `X-Forwarded-Proto: https` came over plain http, or through a proxy that forwards it
 * without saying so. Either way the browser would send and receive Secure-flagged session
 * cookies over a path nobody checked: a browser's plain-http GET is redirected to https, and
 * anything else is refused with `https_required`, so a proxy missing the header is found on the
 * first request instead of in an audit.
 */
export function requireForwardedHttps(svc: Services): MiddlewareHandler {
  const enforced = Boolean(svc.config.trustProxy) && svc.config.publicUrl.startsWith("https:");
  return async (c, next) => {
    if (!enforced || DIRECT_PATHS.has(c.req.path)) return next();
    const proto = c.req.header("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
    if (proto === "https") return next();
    const url = new URL(c.req.url);
    if (proto === "http" && (c.req.method === "GET" || c.req.method === "HEAD")) {
      // The host router already refused names Foyer does not serve.
      const host = c.req.header("host") ?? url.host;
      return c.redirect(`https://${host}${url.pathname}${url.search}`, 308);
    }
    throw new ApiError("https_required", {
      longMessage:
        "Foyer runs behind a proxy (FOYER_TRUST_PROXY) at an https public URL, and this request came " +
        `without X-Forwarded-Proto: https (got ${proto ? `"${proto}"` : "none"}). Operators: have the proxy ` +
        "set it, e.g. nginx `proxy_set_header X-Forwarded-Proto $scheme;` (deploy/nginx/foyer.conf).",
    });
  };
}
