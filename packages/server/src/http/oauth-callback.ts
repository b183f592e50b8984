import type { Context } from "hono";
import { isDatabaseUnavailable } from "../db/database-fault.js";
import { isApiError } from "../errors/api-error.js";
import { completeCallback } from "../oauth/callback.js";
import type { Services } from "../services.js";
import { bindingReader, clearReadBindings, writeBrowserBinding } from "./browser-binding.js";
import { clientIp } from "./client-ip.js";
import { databaseUnavailable } from "./errors.js";
import { writeClientCookie } from "./frontend/client-cookie.js";
import { ErrorPage } from "./pages/error-page.js";
import { renderPage } from "./pages/render.js";

/**
 * GET …/v1/oauth_callback: Atlassian's redirect back. The answer is always an immediate 303 (so
 * `code` and `state` leave the address bar and history), never cached, never referred onward.
 * Only a state that names no usable transaction ends on Foyer's own error page: then not even the
 * instance is known, so there is nowhere else to send the browser.
 */
export function oauthCallbackHandler(svc: Services, instanceOf?: (c: Context) => string) {
  const ipOf = clientIp(svc.config.trustProxy);
  return async (c: Context) => {
    c.header("Cache-Control", "no-store");
    c.header("Referrer-Policy", "no-referrer");
    const { bindingOf, read } = bindingReader(c);
    try {
      const outcome = await completeCallback(
        svc,
        {
          query: new URL(c.req.url).searchParams,
          bindingOf,
          clientIp: ipOf(c),
          userAgent: c.req.header("user-agent"),
        },
        instanceOf?.(c),
      );
      // The transaction is spent: its binding cookie has no further use.
      clearReadBindings(c, read);
      if (outcome.signedIn) writeClientCookie(c, outcome.signedIn.instance, outcome.signedIn.clientToken);
      if (outcome.browserBinding) {
        writeBrowserBinding(c, outcome.browserBinding.transaction, outcome.browserBinding.value);
      }
      return c.redirect(outcome.location, 303);
    } catch (thrown) {
      // A browser on Atlassian's redirect gets a page, never JSON, even when the database is away.
      const err = isDatabaseUnavailable(thrown) ? databaseUnavailable(thrown) : thrown;
      if (!isApiError(err)) throw err;
      for (const [name, value] of Object.entries(err.headers)) c.header(name, value);
      return renderPage(c, (nonce) => ErrorPage({ nonce, code: err.code, message: err.message }), {
        status: err.status,
      });
    }
  };
}
