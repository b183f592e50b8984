import type { Context, Hono } from "hono";
import { ApiError, isApiError } from "../../errors/api-error.js";
import { NO_INSTANCE, securityEventCounts } from "../../events/security-events.js";
import { instanceJson, updateInstance } from "../../instances/instances.js";
import { createSecretKey, deleteSecretKey, listSecretKeys } from "../../instances/secret-keys.js";
import { activePublicKeyPem } from "../../instances/signing-keys.js";
import type { Services } from "../../services.js";
import { field, readForm } from "./form.js";
import type { DashboardEnv } from "./guard.js";
import { instancePath, loadInstanceContext } from "./instance-context.js";
import { noticeText, withNotice } from "./notices.js";
import { render } from "./render.js";
import * as check from "./validation.js";
import { ApiKeysPage } from "./views/api-keys.js";

/** API keys of an instance: publishable and secret keys, URLs, public key, allowed origins. */
export function instanceRoutes(r: Hono<DashboardEnv>, svc: Services): void {
  const keysPage = async (
    c: Context<DashboardEnv>,
    opts: { error?: { field: string; message: string; status: 409 | 422 }; originValue?: string } = {},
  ) => {
    const ctx = await loadInstanceContext(svc, c.req.param("id") ?? "");
    const json = instanceJson(ctx.instance);
    const data = {
      publishableKey: json.publishable_key,
      jwksUrl: json.jwks_url,
      publicKeyPem: await activePublicKeyPem(svc, ctx.instance.id),
      secretKeys: await listSecretKeys(svc, ctx.instance.id),
      securityEvents: {
        own: await securityEventCounts(svc, ctx.instance.id),
        unattributed: await securityEventCounts(svc, NO_INSTANCE),
      },
    };
    return render(
      c,
      <ApiKeysPage
        ctx={ctx}
        data={data}
        csrf={c.get("dashboard").csrfToken}
        notice={noticeText(c.req.query("notice"))}
        error={opts.error}
        originValue={opts.originValue}
      />,
      opts.error?.status ?? 200,
    );
  };

  r.get("/instances/:id", (c) => c.redirect(instancePath(c.req.param("id")), 303));
  r.get("/instances/:id/api-keys", (c) => keysPage(c));

  r.post("/instances/:id/secret-keys", async (c) => {
    const { instance } = await loadInstanceContext(svc, c.req.param("id"));
    await createSecretKey(svc, instance.id, instance.environment);
    return c.redirect(withNotice(instancePath(instance.id), "secret_key_created"), 303);
  });

  // Reveal and Copy fetch one key on demand (session + CSRF checked by the guard), never cached.
  r.post("/instances/:id/secret-keys/:keyId/reveal", async (c) => {
    const { instance } = await loadInstanceContext(svc, c.req.param("id"));
    const key = (await listSecretKeys(svc, instance.id)).find((k) => k.id === c.req.param("keyId"));
    if (!key) throw new ApiError("resource_not_found", { meta: { secret_key_id: c.req.param("keyId") } });
    return c.json({ key: key.key }, 200, { "Cache-Control": "no-store" });
  });

  r.post("/instances/:id/secret-keys/:keyId/revoke", async (c) => {
    const { instance } = await loadInstanceContext(svc, c.req.param("id"));
    try {
      await deleteSecretKey(svc, instance.id, c.req.param("keyId"));
    } catch (err) {
      if (!isApiError(err, "secret_key_last")) throw err;
      return keysPage(c, { error: { field: "secret_key", message: err.message, status: 409 } });
    }
    return c.redirect(withNotice(instancePath(instance.id), "secret_key_revoked"), 303);
  });

  r.post("/instances/:id/origins", async (c) => {
    const { instance } = await loadInstanceContext(svc, c.req.param("id"));
    const value = field(await readForm(c), "origin") ?? "";
    try {
      // Validated as the whole new list, as the Platform API's PATCH does.
      const origins = check.allowedOrigins([...instance.allowed_origins, value]);
      await updateInstance(svc, instance.id, { allowed_origins: origins });
    } catch (err) {
      if (!isApiError(err) || err.status >= 500) throw err;
      return keysPage(c, {
        error: { field: "origin", message: err.longMessage ?? err.message, status: 422 },
        originValue: value,
      });
    }
    return c.redirect(withNotice(instancePath(instance.id), "origin_added"), 303);
  });

  r.post("/instances/:id/origins/remove", async (c) => {
    const { instance } = await loadInstanceContext(svc, c.req.param("id"));
    const value = field(await readForm(c), "origin");
    if (!value || !instance.allowed_origins.includes(value)) {
      throw new ApiError("resource_not_found", { meta: { param_name: "origin" } });
    }
    await updateInstance(svc, instance.id, {
      allowed_origins: instance.allowed_origins.filter((o) => o !== value),
    });
    return c.redirect(withNotice(instancePath(instance.id), "origin_removed"), 303);
  });
}
