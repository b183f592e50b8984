import type { Context, Hono } from "hono";
import { ApiError, isApiError } from "../../errors/api-error.js";
import { type Instance, updateInstance } from "../../instances/instances.js";
import { parseAllowedOrigins } from "../../instances/origins.js";
import type { Services } from "../../services.js";
import { validate } from "../body.js";
import { instancePatchBody } from "../platform/instances.js";
import { field, readForm } from "./form.js";
import type { DashboardEnv } from "./guard.js";
import { type InstanceContext, instancePath, loadInstanceContext } from "./instance-context.js";
import { noticeText, withNotice } from "./notices.js";
import { render } from "./render.js";
import {
  InstanceSettingsPage,
  type SettingsFormError,
  type SettingsFormValues,
} from "./views/instance-settings.js";

function storedValues(instance: Instance): SettingsFormValues {
  return {
    sessionMaxLifetime: String(instance.session_max_lifetime_seconds),
    sessionInactivityTimeout:
      instance.session_inactivity_timeout_seconds === null
        ? ""
        : String(instance.session_inactivity_timeout_seconds),
    afterSignInUrl: instance.after_sign_in_url ?? "",
    reverificationMaxAge: String(instance.reverification_max_age_seconds),
    version: instance.version,
  };
}

/** A whole number as typed becomes a number; anything else stays text, for the schema to refuse in words. */
function seconds(value: string): number | string {
  return /^\d{1,12}$/.test(value) ? Number(value) : value;
}

const CONFLICT =
  "Someone else saved these settings while you were editing; reload to see their change, then make yours again.";

/**
 * An instance's settings: session lifetime and inactivity timeout, after-sign-in URL, allowed
 * origins. Checked by the Platform API's own schema (`instancePatchBody`) and `updateInstance`,
 * so the dashboard and the API accept and refuse the same values with the same words. The
 * session form carries the version it was read at: a save over someone else's is refused.
 */
export function settingsRoutes(r: Hono<DashboardEnv>, svc: Services): void {
  const page = (
    c: Context<DashboardEnv>,
    ctx: InstanceContext,
    opts: {
      values?: SettingsFormValues;
      error?: SettingsFormError;
      originValue?: string;
      siteValue?: string;
      status?: 409 | 422;
    } = {},
  ) =>
    render(
      c,
      <InstanceSettingsPage
        ctx={ctx}
        values={opts.values ?? storedValues(ctx.instance)}
        csrf={c.get("dashboard").csrfToken}
        notice={noticeText(c.req.query("notice"))}
        error={opts.error}
        originValue={opts.originValue}
        siteValue={opts.siteValue}
      />,
      opts.status ?? 200,
    );

  /** A refusal as words on the form; 412 becomes 409 (a page, not a precondition of the browser's). */
  const refused = (
    err: unknown,
    fallbackField: string | undefined,
  ): { error: SettingsFormError; status: 409 | 422 } => {
    if (!isApiError(err) || err.status >= 500) throw err;
    if (err.code === "resource_version_conflict") {
      return { error: { field: undefined, message: CONFLICT }, status: 409 };
    }
    const name = typeof err.meta.param_name === "string" ? err.meta.param_name.split(".")[0] : undefined;
    return { error: { field: name ?? fallbackField, message: err.longMessage ?? err.message }, status: 422 };
  };

  r.get("/instances/:id/settings", async (c) => page(c, await loadInstanceContext(svc, c.req.param("id"))));

  r.post("/instances/:id/settings", async (c) => {
    const ctx = await loadInstanceContext(svc, c.req.param("id"));
    const form = await readForm(c);
    const values: SettingsFormValues = {
      sessionMaxLifetime: field(form, "session_max_lifetime_seconds") ?? "",
      sessionInactivityTimeout: field(form, "session_inactivity_timeout_seconds") ?? "",
      afterSignInUrl: field(form, "after_sign_in_url") ?? "",
      reverificationMaxAge: field(form, "reverification_max_age_seconds") ?? "",
      version: Number(field(form, "version") ?? ctx.instance.version),
    };
    try {
      const version = field(form, "version");
      if (version === undefined || !/^\d{1,9}$/.test(version)) {
        throw new ApiError("form_param_missing", { meta: { param_name: "version" } });
      }
      const patch = validate(instancePatchBody, {
        session_max_lifetime_seconds: seconds(values.sessionMaxLifetime),
        session_inactivity_timeout_seconds: values.sessionInactivityTimeout
          ? seconds(values.sessionInactivityTimeout)
          : null,
        after_sign_in_url: values.afterSignInUrl || null,
        ...(values.reverificationMaxAge
          ? { reverification_max_age_seconds: seconds(values.reverificationMaxAge) }
          : {}),
      });
      await updateInstance(svc, ctx.instance.id, patch, { ifVersion: Number(version) });
    } catch (err) {
      const { error, status } = refused(err, undefined);
      return page(c, ctx, { values: { ...values, version: ctx.instance.version }, error, status });
    }
    return c.redirect(withNotice(instancePath(ctx.instance.id, "settings"), "settings_saved"), 303);
  });

  r.post("/instances/:id/origins", async (c) => {
    const ctx = await loadInstanceContext(svc, c.req.param("id"));
    const value = field(await readForm(c), "origin") ?? "";
    try {
      // Validated as the whole new list, as the Platform API's PATCH does, with its schema.
      const { allowed_origins } = validate(instancePatchBody, {
        allowed_origins: [...ctx.instance.allowed_origins, value],
      });
      const origins = parseAllowedOrigins(allowed_origins ?? []);
      await updateInstance(
        svc,
        ctx.instance.id,
        { allowed_origins: origins },
        { ifVersion: ctx.instance.version },
      );
    } catch (err) {
      const { error, status } = refused(err, "origin");
      return page(c, ctx, { error: { ...error, field: "origin" }, originValue: value, status });
    }
    return c.redirect(withNotice(instancePath(ctx.instance.id, "settings"), "origin_added"), 303);
  });

  r.post("/instances/:id/origins/remove", async (c) => {
    const ctx = await loadInstanceContext(svc, c.req.param("id"));
    const value = field(await readForm(c), "origin");
    if (!value || !ctx.instance.allowed_origins.includes(value)) {
      throw new ApiError("resource_not_found", { meta: { param_name: "origin" } });
    }
    await updateInstance(
      svc,
      ctx.instance.id,
      { allowed_origins: ctx.instance.allowed_origins.filter((o) => o !== value) },
      { ifVersion: ctx.instance.version },
    );
    return c.redirect(withNotice(instancePath(ctx.instance.id, "settings"), "origin_removed"), 303);
  });

  r.post("/instances/:id/atlassian_sites", async (c) => {
    const ctx = await loadInstanceContext(svc, c.req.param("id"));
    const value = field(await readForm(c), "site") ?? "";
    try {
      // The whole new list, through the Platform API's schema; updateInstance normalises it.
      const { allowed_atlassian_sites } = validate(instancePatchBody, {
        allowed_atlassian_sites: [...ctx.instance.allowed_atlassian_sites, value],
      });
      await updateInstance(
        svc,
        ctx.instance.id,
        { allowed_atlassian_sites },
        { ifVersion: ctx.instance.version },
      );
    } catch (err) {
      const { error, status } = refused(err, "site");
      return page(c, ctx, { error: { ...error, field: "site" }, siteValue: value, status });
    }
    return c.redirect(withNotice(instancePath(ctx.instance.id, "settings"), "atlassian_site_added"), 303);
  });

  r.post("/instances/:id/atlassian_sites/remove", async (c) => {
    const ctx = await loadInstanceContext(svc, c.req.param("id"));
    const value = field(await readForm(c), "site");
    if (!value || !ctx.instance.allowed_atlassian_sites.includes(value)) {
      throw new ApiError("resource_not_found", { meta: { param_name: "site" } });
    }
    await updateInstance(
      svc,
      ctx.instance.id,
      { allowed_atlassian_sites: ctx.instance.allowed_atlassian_sites.filter((s) => s !== value) },
      { ifVersion: ctx.instance.version },
    );
    return c.redirect(withNotice(instancePath(ctx.instance.id, "settings"), "atlassian_site_removed"), 303);
  });

  r.post("/instances/:id/organizations_from_sites", async (c) => {
    const ctx = await loadInstanceContext(svc, c.req.param("id"));
    const value = field(await readForm(c), "organizations_from_sites");
    try {
      const { organizations_from_sites } = validate(instancePatchBody, { organizations_from_sites: value });
      await updateInstance(
        svc,
        ctx.instance.id,
        { organizations_from_sites },
        { ifVersion: ctx.instance.version },
      );
    } catch (err) {
      const { error, status } = refused(err, "site");
      return page(c, ctx, { error: { ...error, field: "site" }, status });
    }
    return c.redirect(
      withNotice(instancePath(ctx.instance.id, "settings"), "organizations_from_sites_saved"),
      303,
    );
  });
}
