import type { Context, Hono } from "hono";
import {
  type AtlassianConnection,
  type AtlassianConnectionPatch,
  getAtlassianConnection,
  ownRedirectUri,
  updateAtlassianConnection,
} from "../../connections/atlassian-connection.js";
import { isApiError } from "../../errors/api-error.js";
import { OFFLINE_ACCESS, parseScopeString, READ_ME } from "../../providers/atlassian/scopes.js";
import type { Services } from "../../services.js";
import { checkbox, field, readForm } from "./form.js";
import type { DashboardEnv } from "./guard.js";
import { type InstanceContext, instancePath, loadInstanceContext } from "./instance-context.js";
import { noticeText, withNotice } from "./notices.js";
import { render } from "./render.js";
import * as check from "./validation.js";
import {
  AtlassianConnectionPage,
  type ConnectionFormError,
  type ConnectionFormValues,
  SsoConnectionsPage,
} from "./views/atlassian-connection.js";

function storedValues(connection: AtlassianConnection): ConnectionFormValues {
  return {
    enabled: connection.enabled,
    authenticatable: connection.authenticatable,
    useCustomCredentials: connection.useCustomCredentials,
    clientId: connection.clientId ?? "",
    scopes: connection.scopes,
    addScopes: "",
    version: connection.version,
  };
}

/**
 * Turns the submitted form into the same patch the Platform API takes. Fields inside a disabled
 * fieldset are not submitted by browsers: absent credentials or scopes mean "leave unchanged".
 */
function patchFrom(
  form: URLSearchParams,
  production: boolean,
): {
  patch: AtlassianConnectionPatch;
  values: Omit<ConnectionFormValues, "scopes" | "version"> & { scopes: string[] | undefined };
} {
  const useCustomCredentials = production || checkbox(form, "use_custom_credentials");
  const clientId = field(form, "client_id");
  const clientSecret = form.get("client_secret") ?? "";
  const addScopes = field(form, "add_scopes") ?? "";
  const creds = check.credentials(clientId, clientSecret || undefined);
  const patch: AtlassianConnectionPatch = {
    enabled: checkbox(form, "enabled"),
    authenticatable: checkbox(form, "authenticatable"),
  };
  // Production is always on custom credentials; the disabled checkbox is not sent.
  if (!production) patch.use_custom_credentials = useCustomCredentials;
  if (creds.client_id !== undefined) patch.client_id = creds.client_id || null;
  // Write-only: an empty box keeps the stored secret.
  if (creds.client_secret) patch.client_secret = creds.client_secret;
  let scopes: string[] | undefined;
  if (form.has("scopes_present")) {
    scopes = [
      READ_ME,
      ...(checkbox(form, "offline_access") ? [OFFLINE_ACCESS] : []),
      ...form.getAll("scope"),
      ...parseScopeString(addScopes),
    ];
  }
  return {
    patch,
    values: {
      enabled: patch.enabled!,
      authenticatable: patch.authenticatable!,
      useCustomCredentials,
      clientId: clientId ?? "",
      scopes,
      addScopes,
    },
  };
}

/** "scopes.3" → "scopes": the form shows one error per field. */
function fieldOf(meta: Record<string, unknown>): string | undefined {
  const name = meta.param_name;
  return typeof name === "string" ? name.split(".")[0] : undefined;
}

const CONNECTION_CONFLICT =
  "Someone else saved this connection while you were editing; reload to see their change, then make yours again.";

/** SSO connections of an instance; Atlassian is the one provider. */
export function connectionRoutes(r: Hono<DashboardEnv>, svc: Services): void {
  const shared = { available: Boolean(svc.atlassian.shared), emulated: svc.atlassian.emulated };

  const settingsPage = (
    c: Context<DashboardEnv>,
    ctx: InstanceContext,
    connection: AtlassianConnection,
    opts: { values?: ConnectionFormValues; error?: ConnectionFormError; status?: 409 | 422 } = {},
  ) =>
    render(
      c,
      <AtlassianConnectionPage
        ctx={ctx}
        connection={connection}
        ownRedirectUri={ownRedirectUri(ctx.instance)}
        shared={shared}
        values={opts.values ?? storedValues(connection)}
        csrf={c.get("dashboard").csrfToken}
        notice={noticeText(c.req.query("notice"))}
        error={opts.error}
      />,
      opts.status ?? 200,
    );

  r.get("/instances/:id/sso", async (c) => {
    const ctx = await loadInstanceContext(svc, c.req.param("id"));
    const connection = await getAtlassianConnection(svc, ctx.instance);
    return render(
      c,
      <SsoConnectionsPage ctx={ctx} connection={connection} csrf={c.get("dashboard").csrfToken} />,
    );
  });

  r.get("/instances/:id/sso/atlassian", async (c) => {
    const ctx = await loadInstanceContext(svc, c.req.param("id"));
    return settingsPage(c, ctx, await getAtlassianConnection(svc, ctx.instance));
  });

  r.post("/instances/:id/sso/atlassian", async (c) => {
    const ctx = await loadInstanceContext(svc, c.req.param("id"));
    const form = await readForm(c);
    const current = await getAtlassianConnection(svc, ctx.instance);
    // The version the form was read at; a form without one (hand-made) saves as the API does without If-Match.
    const read = field(form, "version");
    const ifVersion = read !== undefined && /^\d{1,9}$/.test(read) ? Number(read) : undefined;
    // A failed save keeps the version it was read at: after a conflict, only a reload can save.
    let values: ConnectionFormValues = { ...storedValues(current), version: ifVersion ?? current.version };
    try {
      const parsed = patchFrom(form, ctx.instance.environment === "production");
      values = { ...parsed.values, scopes: parsed.values.scopes ?? current.scopes, version: values.version };
      if (parsed.values.scopes) parsed.patch.scopes = check.scopes(parsed.values.scopes);
      await updateAtlassianConnection(svc, ctx.instance, parsed.patch, { ifVersion });
    } catch (err) {
      if (!isApiError(err) || err.status >= 500) throw err;
      if (err.code === "resource_version_conflict") {
        const error = { field: undefined, message: CONNECTION_CONFLICT };
        return settingsPage(c, ctx, current, { values, error, status: 409 });
      }
      const error = { field: fieldOf(err.meta), message: err.longMessage ?? err.message };
      // The scopes as typed go back into the "add" box, so a typo can be fixed in place.
      const typed = new Set(parseScopeString(values.addScopes));
      const shown = {
        ...values,
        scopes: values.scopes.filter((s) => !typed.has(s) || current.scopes.includes(s)),
      };
      return settingsPage(c, ctx, current, { values: shown, error, status: 422 });
    }
    return c.redirect(withNotice(instancePath(ctx.instance.id, "sso/atlassian"), "connection_saved"), 303);
  });
}
