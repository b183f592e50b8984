import type { Context, Hono } from "hono";
import { isApiError } from "../../errors/api-error.js";
import {
  createApplication,
  deleteApplication,
  getApplication,
  listApplications,
  renameApplication,
} from "../../instances/applications.js";
import { createInstance, listInstances } from "../../instances/instances.js";
import type { Services } from "../../services.js";
import { field, readForm } from "./form.js";
import type { DashboardEnv } from "./guard.js";
import { instancePath } from "./instance-context.js";
import { renderKeysPage } from "./instance-routes.js";
import { noticeText, withNotice } from "./notices.js";
import { render } from "./render.js";
import { DASHBOARD_PATH } from "./url.js";
import * as check from "./validation.js";
import {
  type ApplicationRow,
  ApplicationsPage,
  CreateProductionPage,
  DeleteApplicationPage,
} from "./views/applications.js";

async function rows(svc: Services): Promise<ApplicationRow[]> {
  const apps = await listApplications(svc);
  return Promise.all(
    apps.map(async (application) => ({ application, instances: await listInstances(svc, application.id) })),
  );
}

function errorText(err: { longMessage: string | undefined; message: string }): string {
  return err.longMessage ?? err.message;
}

/** Applications: list, create, rename, delete, and their production instance. */
export function applicationRoutes(r: Hono<DashboardEnv>, svc: Services): void {
  const listPage = async (
    c: Context<DashboardEnv>,
    error?: { field: string; message: string; appId?: string },
  ) =>
    render(
      c,
      <ApplicationsPage
        rows={await rows(svc)}
        csrf={c.get("dashboard").csrfToken}
        notice={noticeText(c.req.query("notice"))}
        error={error}
      />,
      error ? 422 : 200,
    );

  r.get("/", (c) => listPage(c));

  r.post("/applications", async (c) => {
    const form = await readForm(c);
    try {
      await createApplication(svc, check.applicationName(field(form, "name")));
    } catch (err) {
      if (!isApiError(err) || err.status >= 500) throw err;
      return listPage(c, { field: "name", message: errorText(err) });
    }
    return c.redirect(withNotice(DASHBOARD_PATH, "application_created"), 303);
  });

  r.get("/applications/:id", async (c) => {
    const instances = await listInstances(svc, (await getApplication(svc, c.req.param("id"))).id);
    return c.redirect(instancePath(instances[0]!.id), 303);
  });

  r.post("/applications/:id/rename", async (c) => {
    const id = c.req.param("id");
    await getApplication(svc, id);
    const form = await readForm(c);
    try {
      await renameApplication(svc, id, check.applicationName(field(form, "name")));
    } catch (err) {
      if (!isApiError(err) || err.status >= 500 || err.code === "resource_not_found") throw err;
      return listPage(c, { field: "name", message: errorText(err), appId: id });
    }
    return c.redirect(withNotice(DASHBOARD_PATH, "application_renamed"), 303);
  });

  r.get("/applications/:id/delete", async (c) => {
    const application = await getApplication(svc, c.req.param("id"));
    const row = { application, instances: await listInstances(svc, application.id) };
    return render(c, <DeleteApplicationPage row={row} csrf={c.get("dashboard").csrfToken} />);
  });

  r.post("/applications/:id/delete", async (c) => {
    await deleteApplication(svc, c.req.param("id"));
    return c.redirect(withNotice(DASHBOARD_PATH, "application_deleted"), 303);
  });

  r.get("/applications/:id/production", async (c) => {
    const application = await getApplication(svc, c.req.param("id"));
    return render(c, <CreateProductionPage application={application} csrf={c.get("dashboard").csrfToken} />);
  });

  r.post("/applications/:id/production", async (c) => {
    const application = await getApplication(svc, c.req.param("id"));
    const form = await readForm(c);
    const value = field(form, "frontend_api_url");
    try {
      const { instance, secretKey } = await createInstance(svc, application.id, "production", {
        frontendApiUrl: check.frontendApiUrl(value),
      });
      // The keys page itself, not a redirect: the first production key is shown in this answer only.
      return renderKeysPage(svc, c, instance.id, {
        createdKey: secretKey,
        notice: noticeText("production_created"),
      });
    } catch (err) {
      if (!isApiError(err) || err.status >= 500) throw err;
      const page = (
        <CreateProductionPage
          application={application}
          csrf={c.get("dashboard").csrfToken}
          value={value}
          error={errorText(err)}
        />
      );
      return render(c, page, err.status === 409 ? 409 : 422);
    }
  });
}
