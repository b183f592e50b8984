import type { MiddlewareHandler } from "hono";

/**
 * Headers every response carries. Hosted pages must never be framed (clickjacking of the
 * "Continue with Atlassian" button), and no response is sniffed into something executable.
 */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.header("X-Content-Type-Options", "nosniff");
    c.header("X-Frame-Options", "DENY");
    c.header("Referrer-Policy", "no-referrer");
    if (!c.res.headers.has("Content-Security-Policy")) {
      c.header("Content-Security-Policy", "frame-ancestors 'none'");
    }
  };
}
