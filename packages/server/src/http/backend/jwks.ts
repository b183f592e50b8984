import { Hono } from "hono";
import { publishedJwks } from "../../instances/signing-keys.js";
import type { Services } from "../../services.js";
import type { InstanceEnv } from "../auth.js";

export function jwksRoutes(svc: Services): Hono<InstanceEnv> {
  const r = new Hono<InstanceEnv>();
  r.get("/jwks", async (c) => c.json(await publishedJwks(svc, c.get("instance").id)));
  return r;
}
