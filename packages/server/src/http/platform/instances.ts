import { Hono } from "hono";
import { z } from "zod";
import { getInstance, instanceJson, updateInstance } from "../../instances/instances.js";
import { parseAllowedOrigins } from "../../instances/origins.js";
import { createSecretKey, deleteSecretKey, listSecretKeys } from "../../instances/secret-keys.js";
import { activePublicKeyPem, rotateSigningKey } from "../../instances/signing-keys.js";
import type { Services } from "../../services.js";
import { readBody } from "../body.js";

export const instancePatchBody = z.strictObject({
  allowed_origins: z.array(z.string().max(300)).max(100).optional(),
  after_sign_in_url: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .nullable()
    .optional(),
  session_max_lifetime_seconds: z
    .number()
    .int()
    .min(300)
    .max(10 * 365 * 24 * 3600)
    .optional(),
  session_inactivity_timeout_seconds: z
    .number()
    .int()
    .min(60)
    .max(365 * 24 * 3600)
    .nullable()
    .optional(),
});

/** `POST …/secret_keys` takes no field: an empty body, so a typo'd option is refused, not ignored. */
export const createSecretKeyBody = z.strictObject({});

export function instanceRoutes(svc: Services): Hono {
  const r = new Hono();

  r.get("/:id", async (c) => c.json(instanceJson(await getInstance(svc, c.req.param("id")))));

  r.patch("/:id", async (c) => {
    const id = c.req.param("id");
    await getInstance(svc, id);
    const body = await readBody(c, instancePatchBody);
    const origins = body.allowed_origins ? parseAllowedOrigins(body.allowed_origins) : undefined;
    return c.json(instanceJson(await updateInstance(svc, id, { ...body, allowed_origins: origins })));
  });

  r.get("/:id/secret_keys", async (c) => {
    const instance = await getInstance(svc, c.req.param("id"));
    const keys = await listSecretKeys(svc, instance.id);
    return c.json({ data: keys.map((k) => ({ object: "secret_key", ...k })), total_count: keys.length });
  });

  r.post("/:id/secret_keys", async (c) => {
    const instance = await getInstance(svc, c.req.param("id"));
    await readBody(c, createSecretKeyBody);
    const key = await createSecretKey(svc, instance.id, instance.environment);
    return c.json({ object: "secret_key", ...key }, 201);
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
