import type { MiddlewareHandler } from "hono";
import type { Services } from "../services.js";

/** Two years, without includeSubDomains: the operator's other subdomains are not Foyer's to pin. */
export const HSTS = "max-age=63072000";

/**
 * Headers every response carries. Hosted pages must never be framed (clickjacking of the
 * "Continue with Atlassian" button), and no response is sniffed into something executable. An
 * https deployment also pins https (HSTS), so no later visit starts over plain http where a
 * network attacker could strip TLS or plant cookies.
 */
export function securityHeaders(svc: Services): MiddlewareHandler {
  const https = new URL(svc.config.publicUrl).protocol === "https:";
  return async (c, next) => {
    await next();
    if (https) c.header("Strict-Transport-Security", HSTS);
    c.header("X-Content-Type-Options", "nosniff");
    c.header("X-Frame-Options", "DENY");
    c.header("Referrer-Policy", "no-referrer");
    if (!c.res.headers.has("Content-Security-Policy")) {
      c.header("Content-Security-Policy", "frame-ancestors 'none'");
    }
  };
}
