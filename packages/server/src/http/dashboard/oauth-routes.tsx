import type { Context, Hono } from "hono";
import { clientNameOf } from "../../authorization-server/client-lookup.js";
import { dynamicClientsOf, grantsOfInstance, revokeGrant } from "../../authorization-server/grants.js";
import {
  createOAuthApplication,
  deleteOAuthApplication,
  listOAuthApplications,
  oauthApplicationJson,
} from "../../authorization-server/oauth-applications.js";
import { ApiError } from "../../errors/api-error.js";
import { updateInstance } from "../../instances/instances.js";
import type { Services } from "../../services.js";
import { validate } from "../body.js";
import { instancePatchBody } from "../platform/instances.js";
import { createOAuthApplicationBody } from "../platform/oauth-applications.js";
import { checkbox, field, readForm } from "./form.js";
import type { DashboardEnv } from "./guard.js";
import { instancePath, loadInstanceContext } from "./instance-context.js";
import { type NoticeCode, noticeText, withNotice } from "./notices.js";
import { render } from "./render.js";
import { OAuthApplicationsPage, type OAuthFormError } from "./views/oauth-applications.js";

/** Grants listed on the page: the newest; the Platform API's `oauth_grants` has the same cap. */
const GRANT_ROWS = 500;

/**
 * The instance's authorization server in the dashboard ("OAuth applications" tab): the Platform
 * API's client and grant operations and the two instance settings as forms, checked by the same
 * schemas and domain functions, so a refusal reads the same in both places.
 */
export function oauthRoutes(r: Hono<DashboardEnv>, svc: Services): void {
  const page = async (
    c: Context<DashboardEnv>,
    opts: { error?: OAuthFormError; created?: ReturnType<typeof oauthApplicationJson> } = {},
  ) => {
    const ctx = await loadInstanceContext(svc, c.req.param("id") ?? "");
    const grants = await grantsOfInstance(svc, ctx.instance.id, GRANT_ROWS);
    const names = new Map<string, string>();
    for (const g of grants) {
      if (!names.has(g.client_id)) names.set(g.client_id, await clientNameOf(svc, ctx.instance, g.client_id));
    }
    const data = {
      applications: (await listOAuthApplications(svc, ctx.instance.id)).map((a) => oauthApplicationJson(a)),
      dynamicClients: await dynamicClientsOf(svc, ctx.instance.id),
      grants: grants.map((g) => ({ ...g, client_name: names.get(g.client_id) ?? g.client_id })),
    };
    return render(
      c,
      <OAuthApplicationsPage
        ctx={ctx}
        data={data}
        csrf={c.get("dashboard").csrfToken}
        notice={opts.created ? undefined : noticeText(c.req.query("notice"))}
        error={opts.error}
        created={opts.created}
      />,
      opts.error ? 422 : 200,
    );
  };
  const back = (instanceId: string, notice: NoticeCode) =>
    withNotice(instancePath(instanceId, "oauth"), notice);
  const refusal = (err: unknown): string => {
    if (err instanceof ApiError && err.status === 422) return err.longMessage ?? err.message;
    throw err;
  };

  r.get("/instances/:id/oauth", (c) => page(c));

  // Answered with the page itself, not a redirect: the secret is shown in this answer only.
  r.post("/instances/:id/oauth/applications", async (c) => {
    const { instance } = await loadInstanceContext(svc, c.req.param("id"));
    const form = await readForm(c);
    const values = {
      name: field(form, "name") ?? "",
      redirect_uris: field(form, "redirect_uris") ?? "",
      scopes: field(form, "scopes") ?? "",
      public: checkbox(form, "public") ? "on" : "",
    };
    try {
      const body = validate(createOAuthApplicationBody, {
        name: values.name,
        redirect_uris: values.redirect_uris.split(/\s+/).filter(Boolean),
        scopes: values.scopes.split(/\s+/).filter(Boolean).join(" ") || undefined,
        public: values.public === "on",
      });
      const { application, clientSecret } = await createOAuthApplication(svc, instance, body);
      return page(c, { created: oauthApplicationJson(application, clientSecret) });
    } catch (err) {
      return page(c, { error: { form: "application", message: refusal(err), values } });
    }
  });

  r.post("/instances/:id/oauth/applications/:appId/delete", async (c) => {
    const { instance } = await loadInstanceContext(svc, c.req.param("id"));
    await deleteOAuthApplication(svc, instance.id, c.req.param("appId"));
    return c.redirect(back(instance.id, "oauth_application_deleted"), 303);
  });

  r.post("/instances/:id/oauth/resources", async (c) => {
    const ctx = await loadInstanceContext(svc, c.req.param("id"));
    const form = await readForm(c);
    const values = {
      resource: field(form, "resource") ?? "",
      name: field(form, "name") ?? "",
      scopes: field(form, "scopes") ?? "",
    };
    try {
      const entry = {
        resource: values.resource,
        name: values.name,
        scopes: values.scopes.split(/\s+/).filter(Boolean),
      };
      const { oauth_resources } = validate(instancePatchBody, {
        oauth_resources: [...ctx.instance.oauth_resources, entry],
      });
      await updateInstance(svc, ctx.instance.id, { oauth_resources }, { ifVersion: ctx.instance.version });
    } catch (err) {
      return page(c, { error: { form: "resource", message: refusal(err), values } });
    }
    return c.redirect(back(ctx.instance.id, "oauth_resource_added"), 303);
  });

  r.post("/instances/:id/oauth/resources/remove", async (c) => {
    const ctx = await loadInstanceContext(svc, c.req.param("id"));
    const value = field(await readForm(c), "resource");
    if (!value || !ctx.instance.oauth_resources.some((r) => r.resource === value)) {
      throw new ApiError("resource_not_found", { meta: { param_name: "resource" } });
    }
    await updateInstance(
      svc,
      ctx.instance.id,
      { oauth_resources: ctx.instance.oauth_resources.filter((r) => r.resource !== value) },
      { ifVersion: ctx.instance.version },
    );
    return c.redirect(back(ctx.instance.id, "oauth_resource_removed"), 303);
  });

  r.post("/instances/:id/oauth/registration", async (c) => {
    const ctx = await loadInstanceContext(svc, c.req.param("id"));
    const enabled = field(await readForm(c), "enabled") === "on";
    await updateInstance(
      svc,
      ctx.instance.id,
      { oauth_dynamic_client_registration: enabled },
      { ifVersion: ctx.instance.version },
    );
    return c.redirect(
      back(ctx.instance.id, enabled ? "oauth_registration_on" : "oauth_registration_off"),
      303,
    );
  });

  r.post("/instances/:id/oauth/grants/:grantId/revoke", async (c) => {
    const { instance } = await loadInstanceContext(svc, c.req.param("id"));
    const grantId = c.req.param("grantId");
    if (!(await revokeGrant(svc, instance.id, grantId))) {
      throw new ApiError("resource_not_found", { meta: { grant_id: grantId } });
    }
    return c.redirect(back(instance.id, "oauth_grant_revoked"), 303);
  });
}
