import type { Context, Hono } from "hono";
import { ApiError, isApiError } from "../../errors/api-error.js";
import {
  createEndpoint,
  deleteEndpoint,
  endpointJson,
  getEndpoint,
  listEndpoints,
  revealSecret,
  rotateSecret,
  updateEndpoint,
} from "../../events/webhook-endpoints.js";
import {
  attemptJson,
  listAttempts,
  replayFailedSince,
  replayMessage,
  sendTestEvent,
} from "../../events/webhook-log.js";
import type { Services } from "../../services.js";
import { field, readForm } from "./form.js";
import type { DashboardEnv } from "./guard.js";
import { instancePath, loadInstanceContext } from "./instance-context.js";
import { type NoticeCode, noticeText, withNotice } from "./notices.js";
import { render } from "./render.js";
import { WebhookMessagePage } from "./views/webhook-message.js";
import { WebhooksPage } from "./views/webhooks.js";

const LOG_ROWS = 20;
/** More than a message's schedule and its replays ever make. */
const MESSAGE_ATTEMPTS = 500;

/**
 * A `datetime-local` value (`YYYY-MM-DDTHH:MM`, seconds optional) read as UTC, as the form says,
 * or undefined. The round trip refuses dates `Date.parse` would roll over (February 30, 24:00).
 */
export function parseUtcInput(value: string | undefined): number | undefined {
  if (!value || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return undefined;
  const ms = Date.parse(`${value}Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, value.length) !== value) return undefined;
  return ms;
}

/** An instance's webhook endpoints in the dashboard: the Platform API's operations as forms. */
export function webhookRoutes(r: Hono<DashboardEnv>, svc: Services): void {
  const page = async (
    c: Context<DashboardEnv>,
    error?: { message: string; url?: string; replayEndpointId?: string; since?: string },
  ) => {
    const ctx = await loadInstanceContext(svc, c.req.param("id") ?? "");
    const rows = await listEndpoints(svc, ctx.instance.id);
    const endpoints = await Promise.all(
      rows.map(async (row) => ({
        endpoint: endpointJson(row),
        attempts: (await listAttempts(svc, ctx.instance.id, row.id, { limit: LOG_ROWS })).map(attemptJson),
      })),
    );
    return render(
      c,
      <WebhooksPage
        ctx={ctx}
        data={{ endpoints }}
        csrf={c.get("dashboard").csrfToken}
        notice={noticeText(c.req.query("notice"))}
        error={error}
        now={svc.now()}
      />,
      error ? 422 : 200,
    );
  };
  const back = (instanceId: string, notice: NoticeCode) =>
    withNotice(instancePath(instanceId, "webhooks"), notice);

  r.get("/instances/:id/webhooks", (c) => page(c));

  r.post("/instances/:id/webhook-endpoints", async (c) => {
    const { instance } = await loadInstanceContext(svc, c.req.param("id"));
    const form = await readForm(c);
    const url = field(form, "url") ?? "";
    try {
      await createEndpoint(svc, instance, {
        url,
        description: (field(form, "description") ?? "").slice(0, 500),
        event_types: form.getAll("event_types"),
      });
    } catch (err) {
      if (isApiError(err, "webhook_url_invalid") || isApiError(err, "form_param_invalid")) {
        return page(c, { message: err.longMessage ?? err.message, url });
      }
      throw err;
    }
    return c.redirect(back(instance.id, "webhook_endpoint_created"), 303);
  });

  // Reveal and Copy fetch the secret on demand (session + CSRF checked by the guard), never cached.
  r.post("/instances/:id/webhook-endpoints/:endpointId/secret", async (c) => {
    const { instance } = await loadInstanceContext(svc, c.req.param("id"));
    const row = await getEndpoint(svc, instance.id, c.req.param("endpointId"));
    return c.json({ key: revealSecret(svc, row) }, 200, { "Cache-Control": "no-store" });
  });

  const action = (
    name: string,
    run: (instanceId: string, endpointId: string, form: URLSearchParams) => Promise<unknown>,
    notice: NoticeCode,
  ) =>
    r.post(`/instances/:id/webhook-endpoints/:endpointId/${name}`, async (c) => {
      const { instance } = await loadInstanceContext(svc, c.req.param("id"));
      await run(instance.id, c.req.param("endpointId"), await readForm(c));
      return c.redirect(back(instance.id, notice), 303);
    });

  action("test", (i, e) => sendTestEvent(svc, i, e), "webhook_test_sent");
  action("rotate", (i, e) => rotateSecret(svc, i, e), "webhook_secret_rotated");
  action("delete", (i, e) => deleteEndpoint(svc, i, e), "webhook_endpoint_deleted");
  action(
    "disable",
    async (i, e) => updateEndpoint(svc, (await loadInstanceContext(svc, i)).instance, e, { enabled: false }),
    "webhook_endpoint_disabled",
  );
  action(
    "enable",
    async (i, e) => updateEndpoint(svc, (await loadInstanceContext(svc, i)).instance, e, { enabled: true }),
    "webhook_endpoint_enabled",
  );
  // "Everything failed since a time": the time as the operator typed it, in UTC; a time that is
  // not one, or is still to come, is refused on the form rather than replaying nothing.
  r.post("/instances/:id/webhook-endpoints/:endpointId/replay-failed", async (c) => {
    const { instance } = await loadInstanceContext(svc, c.req.param("id"));
    const endpointId = c.req.param("endpointId");
    await getEndpoint(svc, instance.id, endpointId);
    const typed = field(await readForm(c), "since") ?? "";
    const since = parseUtcInput(typed);
    if (since === undefined || since > svc.now()) {
      return page(c, {
        message:
          since === undefined
            ? "Enter a date and time (UTC), such as 2026-01-31T09:00."
            : "That time is still to come: choose one in the past.",
        replayEndpointId: endpointId,
        since: typed.slice(0, 19),
      });
    }
    const replayed = await replayFailedSince(svc, instance.id, endpointId, since);
    return c.redirect(back(instance.id, replayed > 0 ? "webhook_replayed" : "webhook_replay_nothing"), 303);
  });
  r.get("/instances/:id/webhook-endpoints/:endpointId/messages/:messageId", async (c) => {
    const ctx = await loadInstanceContext(svc, c.req.param("id"));
    const endpoint = await getEndpoint(svc, ctx.instance.id, c.req.param("endpointId"));
    const messageId = c.req.param("messageId");
    const attempts = await listAttempts(svc, ctx.instance.id, endpoint.id, {
      messageId,
      limit: MESSAGE_ATTEMPTS,
    });
    // The log links here only for messages it has attempts of; none means no such message here.
    if (attempts.length === 0) throw new ApiError("resource_not_found", { meta: { message_id: messageId } });
    return render(
      c,
      <WebhookMessagePage
        ctx={ctx}
        endpoint={endpointJson(endpoint)}
        messageId={messageId}
        attempts={attempts.reverse().map(attemptJson)}
        csrf={c.get("dashboard").csrfToken}
        notice={noticeText(c.req.query("notice"))}
      />,
    );
  });
  r.post("/instances/:id/webhook-endpoints/:endpointId/messages/:messageId/replay", async (c) => {
    const { instance } = await loadInstanceContext(svc, c.req.param("id"));
    const endpointId = c.req.param("endpointId");
    const messageId = c.req.param("messageId");
    const form = await readForm(c);
    await replayMessage(svc, instance.id, endpointId, messageId);
    // From the message's own page, back to it (its next attempt shows there).
    const to =
      field(form, "return_to") === "message"
        ? `${instancePath(instance.id, "webhook-endpoints")}/${encodeURIComponent(endpointId)}/messages/${encodeURIComponent(messageId)}`
        : instancePath(instance.id, "webhooks");
    return c.redirect(withNotice(to, "webhook_replayed"), 303);
  });
}
