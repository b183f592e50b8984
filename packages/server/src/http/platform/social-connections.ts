import { Hono } from "hono";
import { z } from "zod";
import {
  connectionJson,
  getAtlassianConnection,
  updateAtlassianConnection,
} from "../../connections/atlassian-connection.js";
import { getInstance } from "../../instances/instances.js";
import { assertValidScopes, MAX_SCOPES } from "../../providers/atlassian/scopes.js";
import type { Services } from "../../services.js";
import { readBody } from "../body.js";
import { ifMatchVersion, versionETag } from "../etag.js";

export const patchBody = z.strictObject({
  enabled: z.boolean().optional(),
  authenticatable: z.boolean().optional(),
  use_custom_credentials: z.boolean().optional(),
  client_id: z.string().max(200).nullable().optional(),
  client_secret: z.string().max(500).nullable().optional(),
  scopes: z.array(z.string().max(500)).max(MAX_SCOPES).optional(),
});

export function socialConnectionRoutes(svc: Services): Hono {
  const r = new Hono();

  r.get("/:id/social_connections/atlassian", async (c) => {
    const instance = await getInstance(svc, c.req.param("id"));
    const connection = await getAtlassianConnection(svc, instance);
    return c.json(connectionJson(svc, connection), 200, { ETag: versionETag(connection.version) });
  });

  // If-Match is optional (see etag.ts): with it, a stale ETag is 412 and nothing is written.
  r.patch("/:id/social_connections/atlassian", async (c) => {
    const instance = await getInstance(svc, c.req.param("id"));
    const body = await readBody(c, patchBody);
    if (body.scopes) assertValidScopes(body.scopes);
    const ifVersion = ifMatchVersion(c.req.header("if-match"));
    const connection = await updateAtlassianConnection(svc, instance, body, { ifVersion });
    return c.json(connectionJson(svc, connection), 200, { ETag: versionETag(connection.version) });
  });

  return r;
}
