import type { Context, Hono } from "hono";
import { ApiError, isApiError } from "../../errors/api-error.js";
import { NO_INSTANCE, securityEventCounts } from "../../events/security-events.js";
import { instanceJson } from "../../instances/instances.js";
import {
  createSecretKey,
  deleteSecretKey,
  listSecretKeys,
  type SecretKey,
} from "../../instances/secret-keys.js";
import { activePublicKeyPem, rotateSigningKey } from "../../instances/signing-keys.js";
import type { Services } from "../../services.js";
import type { DashboardEnv } from "./guard.js";
import { instancePath, loadInstanceContext } from "./instance-context.js";
import { noticeText, withNotice } from "./notices.js";
import { render } from "./render.js";
import { ApiKeysPage } from "./views/api-keys.js";

/**
 * The API keys page. `createdKey` is set only in the answer to the form that created a key (or
 * the production instance): the one page a production key is ever shown on whole.
 */
export async function renderKeysPage(
  svc: Services,
  c: Context<DashboardEnv>,
  instanceId: string,
  opts: {
    error?: { field: string; message: string; status: 409 };
    createdKey?: SecretKey;
    notice?: string;
  } = {},
): Promise<Response> {
  const ctx = await loadInstanceContext(svc, instanceId);
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
      notice={opts.notice ?? noticeText(c.req.query("notice"))}
      error={opts.error}
      createdKey={opts.createdKey}
    />,
    opts.error?.status ?? 200,
  );
}

/** API keys of an instance: publishable and secret keys, URLs, public key and its rotation. */
export function instanceRoutes(r: Hono<DashboardEnv>, svc: Services): void {
  r.get("/instances/:id", (c) => c.redirect(instancePath(c.req.param("id")), 303));
  r.get("/instances/:id/api-keys", (c) => renderKeysPage(svc, c, c.req.param("id")));

  // Answered with the page itself, not a redirect: the new key is shown in this answer only.
  r.post("/instances/:id/secret-keys", async (c) => {
    const { instance } = await loadInstanceContext(svc, c.req.param("id"));
    const createdKey = await createSecretKey(svc, instance.id, instance.environment);
    return renderKeysPage(svc, c, instance.id, { createdKey, notice: noticeText("secret_key_created") });
  });

  // Reveal and Copy fetch one development key on demand (session + CSRF checked by the guard),
  // never cached. Production keys have no stored copy to reveal.
  r.post("/instances/:id/secret-keys/:keyId/reveal", async (c) => {
    const { instance } = await loadInstanceContext(svc, c.req.param("id"));
    const key = (await listSecretKeys(svc, instance.id)).find((k) => k.id === c.req.param("keyId"));
    if (!key) throw new ApiError("resource_not_found", { meta: { secret_key_id: c.req.param("keyId") } });
    if (key.key === undefined) throw new ApiError("secret_key_not_revealable");
    return c.json({ key: key.key }, 200, { "Cache-Control": "no-store" });
  });

  r.post("/instances/:id/secret-keys/:keyId/revoke", async (c) => {
    const { instance } = await loadInstanceContext(svc, c.req.param("id"));
    try {
      await deleteSecretKey(svc, instance.id, c.req.param("keyId"));
    } catch (err) {
      if (!isApiError(err, "secret_key_last")) throw err;
      return renderKeysPage(svc, c, instance.id, {
        error: { field: "secret_key", message: err.message, status: 409 },
      });
    }
    return c.redirect(withNotice(instancePath(instance.id), "secret_key_revoked"), 303);
  });

  r.post("/instances/:id/signing-keys/rotate", async (c) => {
    const { instance } = await loadInstanceContext(svc, c.req.param("id"));
    await rotateSigningKey(svc, instance.id);
    return c.redirect(withNotice(instancePath(instance.id), "signing_key_rotated"), 303);
  });
}
