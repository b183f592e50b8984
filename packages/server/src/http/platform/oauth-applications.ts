import { Hono } from "hono";
import { z } from "zod";
import { grantsOfInstance, revokeGrant } from "../../authorization-server/grants.js";
import {
  createOAuthApplication,
  deleteOAuthApplication,
  listOAuthApplications,
  oauthApplicationJson,
} from "../../authorization-server/oauth-applications.js";
import { oauthGrantJson } from "../../authorization-server/oauth-json-schema.js";
import { ApiError } from "../../errors/api-error.js";
import { getInstance } from "../../instances/instances.js";
import type { Services } from "../../services.js";
import { readBody } from "../body.js";

/** `POST …/oauth_applications`: redirect URIs checked (https, loopback http, native schemes) by the domain. */
export const createOAuthApplicationBody = z.strictObject({
  name: z.string().min(1).max(100).describe("Shown to users on the consent page."),
  redirect_uris: z
    .array(z.string().max(2000))
    .min(1, "at least one redirect URI")
    .max(20, "at most 20 redirect URIs"),
  scopes: z
    .string()
    .max(1000)
    .regex(/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/, "space-separated scopes")
    .optional()
    .describe(
      "Space-separated OpenID scopes it may ask for, of `openid profile email offline_access` (the default). " +
        "What it may ask of a resource is that resource's `scopes` (`oauth_resources`).",
    ),
  public: z.boolean().optional().describe("True for a client without a secret (SPA, native, CLI)."),
});

/**
 * The instance's pre-registered OAuth clients, as Clerk names them (`oauth_applications`), and
 * the grants users have given clients (`oauth_grants`).
 */
export function oauthApplicationRoutes(svc: Services): Hono {
  const r = new Hono();

  r.get("/:id/oauth_applications", async (c) => {
    const instance = await getInstance(svc, c.req.param("id"));
    const apps = await listOAuthApplications(svc, instance.id);
    return c.json({ data: apps.map((a) => oauthApplicationJson(a)), total_count: apps.length });
  });

  r.post("/:id/oauth_applications", async (c) => {
    const instance = await getInstance(svc, c.req.param("id"));
    const body = await readBody(c, createOAuthApplicationBody);
    const { application, clientSecret } = await createOAuthApplication(svc, instance, body);
    return c.json(oauthApplicationJson(application, clientSecret), 201);
  });

  r.delete("/:id/oauth_applications/:appId", async (c) => {
    const instance = await getInstance(svc, c.req.param("id"));
    await deleteOAuthApplication(svc, instance.id, c.req.param("appId"));
    return c.json({ object: "oauth_application", id: c.req.param("appId"), deleted: true as const });
  });

  r.get("/:id/oauth_grants", async (c) => {
    const instance = await getInstance(svc, c.req.param("id"));
    const grants = await grantsOfInstance(svc, instance.id, 500);
    return c.json({ data: grants.map(oauthGrantJson), total_count: grants.length });
  });

  // One grant, whoever's it is, with every code and token issued under it (the dashboard's Revoke).
  r.delete("/:id/oauth_grants/:grantId", async (c) => {
    const instance = await getInstance(svc, c.req.param("id"));
    const grantId = c.req.param("grantId");
    if (!(await revokeGrant(svc, instance.id, grantId))) {
      throw new ApiError("resource_not_found", { meta: { grant_id: grantId } });
    }
    return c.json({ object: "oauth_grant", id: grantId, deleted: true as const });
  });

  return r;
}
