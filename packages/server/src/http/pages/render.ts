import type { Context } from "hono";
import type { JSX } from "hono/jsx/jsx-runtime";
import { randomToken } from "../../crypto/random.js";

/**
 * Renders a hosted page under a strict CSP: nothing loads from elsewhere, inline style and script
 * only with this response's nonce, forms post only to Foyer (and redirect only to Atlassian),
 * no framing, no caching.
 */
export function renderPage(
  c: Context,
  page: (nonce: string) => JSX.Element,
  opts: { status?: number; formTargets?: string[] } = {},
): Response {
  const nonce = randomToken(16);
  const formAction = ["'self'", ...(opts.formTargets ?? [])].join(" ");
  c.header(
    "Content-Security-Policy",
    `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; img-src 'self' https: http: data:; ` +
      `form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
  );
  c.header("Cache-Control", "no-store");
  return c.html(`<!doctype html>${page(nonce).toString()}`, (opts.status ?? 200) as 200);
}
