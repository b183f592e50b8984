import { Hono } from "hono";
import { z } from "zod";
import {
  applicationJson,
  createApplication,
  deleteApplication,
  getApplication,
  listApplications,
  renameApplication,
} from "../../instances/applications.js";
import { parseFrontendApiUrl } from "../../instances/frontend-api-url.js";
import { createInstance, instanceJson } from "../../instances/instances.js";
import { secretKeyJson } from "../../instances/secret-keys.js";
import type { Services } from "../../services.js";
import { readBody } from "../body.js";

const name = z.string().trim().min(1).max(100);

/** `POST /applications` and `PATCH /applications/:id`. */
export const applicationNameBody = z.strictObject({ name });

export const createInstanceBody = z.strictObject({
  environment: z.literal("production"),
  frontend_api_url: z.string().max(200).optional(),
});

export function applicationRoutes(svc: Services): Hono {
  const r = new Hono();

  r.post("/", async (c) => {
    const body = await readBody(c, applicationNameBody);
    const { application } = await createApplication(svc, body.name);
    return c.json(await applicationJson(svc, application), 201);
  });

  r.get("/", async (c) => {
    const apps = await listApplications(svc);
    return c.json({
      data: await Promise.all(apps.map((a) => applicationJson(svc, a))),
      total_count: apps.length,
    });
  });

  r.get("/:id", async (c) =>
    c.json(await applicationJson(svc, await getApplication(svc, c.req.param("id")))),
  );

  r.patch("/:id", async (c) => {
    const body = await readBody(c, applicationNameBody);
    return c.json(await applicationJson(svc, await renameApplication(svc, c.req.param("id"), body.name)));
  });

  r.delete("/:id", async (c) => {
    const id = c.req.param("id");
    await deleteApplication(svc, id);
    return c.json({ object: "application", id, deleted: true });
  });

  r.post("/:id/instances", async (c) => {
    const app = await getApplication(svc, c.req.param("id"));
    const body = await readBody(c, createInstanceBody);
    const frontendApiUrl = body.frontend_api_url ? parseFrontendApiUrl(body.frontend_api_url) : undefined;
    const { instance, secretKey } = await createInstance(svc, app.id, body.environment, { frontendApiUrl });
    // The one answer that carries the production instance's first secret key whole.
    return c.json({ ...instanceJson(instance), secret_key: secretKeyJson(secretKey) }, 201);
  });

  return r;
}
