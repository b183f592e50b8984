import type { Context, Hono } from "hono";
import { isApiError } from "../../errors/api-error.js";
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
import { WebhooksPage } from "./views/webhooks.js";

const LOG_ROWS = 20;

/** An instance's webhook endpoints in the dashboard: the Platform API's operations as forms. */
export function webhookRoutes(r: Hono<DashboardEnv>, svc: Services): void {
  const page = async (c: Context<DashboardEnv>, error?: { message: string; url?: string }) => {
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
  action(
    "replay-failed",
    (i, e, form) => {
      const hours = [1, 24, 168].includes(Number(field(form, "hours"))) ? Number(field(form, "hours")) : 24;
      return replayFailedSince(svc, i, e, svc.now() - hours * 3_600_000);
    },
    "webhook_replayed",
  );
  r.post("/instances/:id/webhook-endpoints/:endpointId/messages/:messageId/replay", async (c) => {
    const { instance } = await loadInstanceContext(svc, c.req.param("id"));
    await replayMessage(svc, instance.id, c.req.param("endpointId"), c.req.param("messageId"));
    return c.redirect(back(instance.id, "webhook_replayed"), 303);
  });
}
