import { Hono } from "hono";
import { ApiError } from "../../errors/api-error.js";
import { cachedInstance } from "../../instances/instance-cache.js";
import { publishedJwks } from "../../instances/signing-keys.js";
import type { Services } from "../../services.js";
import type { InstanceEnv } from "../auth.js";
import { oauthCallbackHandler } from "../oauth-callback.js";
import { clientRoutes } from "./client.js";
import { connectRoutes } from "./connect.js";
import { connectPageRoutes } from "./connect-page.js";
import { frontendCors } from "./cors.js";
import { meRoutes } from "./me.js";
import { meOAuthConsentRoutes } from "./me-oauth-consents.js";
import { oauthServerRoutes } from "./oauth-server.js";
import { oauthInteractionRoutes } from "./oauth-server-interaction.js";
import { signInRoutes } from "./sign-in.js";
import { signedInRoutes } from "./signed-in.js";

/**
 * The Frontend API of one instance, mounted at /fapi/:instanceId (custom hosts are rewritten
 * onto that path before routing). The browser-facing routes of later features join here.
 */
export function frontendRoutes(
  svc: Services,
  mount: Array<(r: Hono<InstanceEnv>) => void> = [],
): Hono<InstanceEnv> {
  const r = new Hono<InstanceEnv>();
  r.use("*", async (c, next) => {
    const instance = await cachedInstance(svc, c.req.param("instanceId") ?? "");
    if (!instance) throw new ApiError("resource_not_found", { meta: { instance: "unknown" } });
    c.set("instance", instance);
    await next();
  });
  // Before the cookie CORS: OAuth clients call these from anywhere (oidc-provider does their CORS).
  oauthServerRoutes(svc)(r);
  r.use("*", frontendCors(svc));
  r.get("/.well-known/jwks.json", async (c) => {
    c.header("Cache-Control", "public, max-age=300");
    return c.json(await publishedJwks(svc, c.get("instance").id));
  });
  clientRoutes(svc)(r);
  signInRoutes(svc)(r);
  signedInRoutes(svc)(r);
  connectRoutes(svc)(r);
  connectPageRoutes(svc)(r);
  meRoutes(svc)(r);
  meOAuthConsentRoutes(svc)(r);
  oauthInteractionRoutes(svc)(r);
  // An instance's own callback URL (custom credentials): only its own transactions complete here.
  r.get(
    "/v1/oauth_callback",
    oauthCallbackHandler(svc, (c) => c.get("instance").id),
  );
  for (const add of mount) add(r);
  return r;
}
