import { Hono } from "hono";
import { z } from "zod";
import { getInstance, instanceJson, updateInstance } from "../../instances/instances.js";
import { parseAllowedOrigins } from "../../instances/origins.js";
import {
  createSecretKey,
  deleteSecretKey,
  listSecretKeys,
  secretKeyJson,
} from "../../instances/secret-keys.js";
import { activePublicKeyPem, rotateSigningKey } from "../../instances/signing-keys.js";
import type { Services } from "../../services.js";
import { readBody } from "../body.js";
import { ifMatchVersion, versionETag } from "../etag.js";

/** The instance settings a PATCH may change; the dashboard's settings forms validate with it too. */
export const instancePatchBody = z.strictObject({
  allowed_origins: z.array(z.string().max(300)).max(100, "at most 100 allowed origins").optional(),
  after_sign_in_url: z
    .url({ protocol: /^https?$/, error: "must be a full http(s) URL, such as https://app.example.com/home" })
    .max(2000, "must be at most 2000 characters")
    .nullable()
    .optional(),
  session_max_lifetime_seconds: z
    .number({ error: "must be a whole number of seconds" })
    .int("must be a whole number of seconds")
    .min(300, "must be at least 300 seconds (5 minutes)")
    .max(10 * 365 * 24 * 3600, "must be at most 315360000 seconds (10 years)")
    .optional(),
  session_inactivity_timeout_seconds: z
    .number({ error: "must be a whole number of seconds" })
    .int("must be a whole number of seconds")
    .min(60, "must be at least 60 seconds")
    .max(365 * 24 * 3600, "must be at most 31536000 seconds (1 year)")
    .nullable()
    .optional(),
  reverification_max_age_seconds: z
    .number({ error: "must be a whole number of seconds" })
    .int("must be a whole number of seconds")
    .min(60, "must be at least 60 seconds")
    .max(7 * 24 * 3600, "must be at most 604800 seconds (7 days)")
    .optional()
    .describe(
      "How recent a sign-in linking a new Atlassian account needs (default 600: 10 minutes). " +
        "Reconnecting an account the user already has never needs one.",
    ),
  // Normalised and checked (cloud id or site URL) by updateInstance, for every way in.
  allowed_atlassian_sites: z.array(z.string().max(300)).max(100, "at most 100 Atlassian sites").optional(),
  organizations_from_sites: z.enum(["off", "auto"], { error: "must be off or auto" }).optional(),
  // Checked (URL form, scopes) by updateInstance, for every way in.
  oauth_resources: z
    .array(
      z.strictObject({
        resource: z.string().max(500),
        name: z.string().min(1).max(100),
        scopes: z.array(z.string().max(64)).max(50, "at most 50 scopes per resource"),
      }),
    )
    .max(50, "at most 50 resources")
    .optional()
    .describe("Resources (RFC 8707) access tokens may be issued for: {resource URL, name, scopes}."),
  oauth_dynamic_client_registration: z
    .boolean({ error: "must be true or false" })
    .optional()
    .describe("Lets anyone register an OAuth client (RFC 7591). Off by default."),
});

/** `POST …/secret_keys` takes no field: an empty body, so a typo'd option is refused, not ignored. */
export const createSecretKeyBody = z.strictObject({});

export function instanceRoutes(svc: Services): Hono {
  const r = new Hono();

  r.get("/:id", async (c) => {
    const instance = await getInstance(svc, c.req.param("id"));
    return c.json(instanceJson(instance), 200, { ETag: versionETag(instance.version) });
  });

  // If-Match is optional (see etag.ts): with it, a stale ETag is 412 and nothing is written.
  r.patch("/:id", async (c) => {
    const id = c.req.param("id");
    await getInstance(svc, id);
    const body = await readBody(c, instancePatchBody);
    const origins = body.allowed_origins ? parseAllowedOrigins(body.allowed_origins) : undefined;
    const ifVersion = ifMatchVersion(c.req.header("if-match"));
    const updated = await updateInstance(svc, id, { ...body, allowed_origins: origins }, { ifVersion });
    return c.json(instanceJson(updated), 200, { ETag: versionETag(updated.version) });
  });

  r.get("/:id/secret_keys", async (c) => {
    const instance = await getInstance(svc, c.req.param("id"));
    const keys = await listSecretKeys(svc, instance.id);
    // Production keys come as key_prefix and last4 only: their whole value was shown once, at creation.
    return c.json({ data: keys.map(secretKeyJson), total_count: keys.length });
  });

  r.post("/:id/secret_keys", async (c) => {
    const instance = await getInstance(svc, c.req.param("id"));
    await readBody(c, createSecretKeyBody);
    const key = await createSecretKey(svc, instance.id, instance.environment);
    return c.json(secretKeyJson(key), 201);
  });

  r.delete("/:id/secret_keys/:keyId", async (c) => {
    const instance = await getInstance(svc, c.req.param("id"));
    await deleteSecretKey(svc, instance.id, c.req.param("keyId"));
    return c.json({ object: "secret_key", id: c.req.param("keyId"), deleted: true });
  });

  r.get("/:id/public_key", async (c) => {
    const instance = await getInstance(svc, c.req.param("id"));
    return c.json({ object: "public_key", pem: await activePublicKeyPem(svc, instance.id) });
  });

  r.post("/:id/signing_keys/rotate", async (c) => {
    const instance = await getInstance(svc, c.req.param("id"));
    return c.json({ object: "signing_key", kid: await rotateSigningKey(svc, instance.id) }, 201);
  });

  return r;
}
