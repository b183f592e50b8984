import type { Context } from "hono";
import { html } from "hono/html";
import type { Child } from "hono/jsx";
import { ApiError } from "../../errors/api-error.js";
import type { Logger } from "../../log.js";
import type { DashboardEnv } from "./guard.js";
import { DASHBOARD_PATH } from "./url.js";
import { Notice } from "./views/components.js";
import { Layout } from "./views/layout.js";

type Status = 200 | 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;

/** Sends a page. hono/jsx escapes every interpolated value, so user and Atlassian text stay text. */
export function render(c: Context, page: Child, status: Status = 200): Response | Promise<Response> {
  return c.html(html`<!DOCTYPE html>${page}`, status);
}

/** An ApiError (or anything else) as a dashboard page: the catalogue's message, never internals. */
export function renderError(
  err: unknown,
  c: Context<DashboardEnv>,
  log: Logger,
): Response | Promise<Response> {
  let error: ApiError;
  if (err instanceof ApiError) {
    error = err;
    if (error.status >= 500)
      log.warn({ code: error.code, path: c.req.path, err: error.cause }, error.message);
  } else {
    log.error({ err, path: c.req.path, method: c.req.method }, "unhandled dashboard error");
    error = new ApiError("internal_error");
  }
  const csrf = c.get("dashboard")?.csrfToken;
  // Retry-After of a throttled sign-in (or an unavailable database) reaches the browser too.
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  return render(
    c,
    <Layout title="Error" csrf={csrf}>
      <h1>Something stopped this request</h1>
      <Notice kind="error">
        {error.longMessage ?? error.message} <span class="muted">({error.code})</span>
      </Notice>
      <p>
        <a href={DASHBOARD_PATH}>Back to the dashboard</a>
      </p>
    </Layout>,
    error.status as Status,
  );
}
