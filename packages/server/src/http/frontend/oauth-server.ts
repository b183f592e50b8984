import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import { Hono } from "hono";
import { parse } from "hono/utils/cookie";
import { instanceProvider, type ProviderHooks } from "../../authorization-server/provider.js";
import { ApiError } from "../../errors/api-error.js";
import { cachedInstance } from "../../instances/instance-cache.js";
import type { Instance } from "../../instances/instances.js";
import type { Services } from "../../services.js";
import { findClient, liveSessionsOf } from "../../sessions/sessions.js";
import type { InstanceEnv } from "../auth.js";
import { clientCookieName } from "./client-cookie.js";
import { runProvider } from "./oauth-server-bridge.js";

/**
 * The instance's authorization server (OAuth 2.1 + OpenID Connect, authorization-server/): the
 * protocol endpoints oidc-provider answers itself, under the issuer (the Frontend API URL):
 * `/.well-known/oauth-authorization-server` (RFC 8414) and `/.well-known/openid-configuration`,
 * `/oauth/authorize` (and its resume `/oauth/authorize/:uid`), `/oauth/token`, `/oauth/revoke`,
 * `/oauth/register`, `/oauth/userinfo`, `/oauth/jwks`. Registered before the Frontend API's
 * cookie CORS: these are called by OAuth clients from anywhere, and oidc-provider applies the
 * CORS rules of each endpoint itself. The consent pages are oauth-server-interaction.ts.
 */
export const PROTOCOL_PATHS = [
  "/.well-known/oauth-authorization-server",
  "/.well-known/openid-configuration",
  "/oauth/authorize",
  "/oauth/authorize/:uid",
  "/oauth/token",
  "/oauth/revoke",
  "/oauth/register",
  "/oauth/userinfo",
  "/oauth/jwks",
] as const;

/** The Foyer user signed in on this browser (its most recently active session), from the Cookie header. */
export function providerHooks(svc: Services): ProviderHooks {
  return {
    async signedInUser(instance: Instance, cookieHeader: string | undefined) {
      if (!cookieHeader) return undefined;
      const token = parse(cookieHeader, clientCookieName(instance))[clientCookieName(instance)];
      const client = await findClient(svc, instance, token);
      if (!client) return undefined;
      const [session] = await liveSessionsOf(svc, instance, client.id);
      return session?.user_id;
    },
  };
}

export function oauthServerRoutes(svc: Services) {
  const hooks = providerHooks(svc);
  const https = new URL(svc.config.publicUrl).protocol === "https:";
  return (r: Hono<InstanceEnv>) => {
    for (const path of PROTOCOL_PATHS) {
      r.on(["GET", "POST", "OPTIONS"], path, async (c) => {
        const instance = c.get("instance");
        const provider = await instanceProvider(svc, instance.id, hooks);
        if (!provider) throw new ApiError("resource_not_found", { meta: { instance: "unknown" } });
        await runProvider(provider, c, instance, https);
        return RESPONSE_ALREADY_SENT;
      });
    }
  };
}

/**
 * RFC 8414 section 3.1 puts the metadata of an issuer with a path at the host's root, the path
 * after the well-known name: `/.well-known/oauth-authorization-server/fapi/<id>` (and OpenID's
 * path-inserted form likewise). MCP clients look there first. Only for instances whose issuer
 * is that path: an instance on its own host answers at its own root already.
 */
export function rootDiscoveryRoutes(svc: Services): Hono {
  const hooks = providerHooks(svc);
  const https = new URL(svc.config.publicUrl).protocol === "https:";
  const r = new Hono();
  for (const name of ["oauth-authorization-server", "openid-configuration"]) {
    r.on(["GET", "OPTIONS"], `/.well-known/${name}/fapi/:instanceId`, async (c) => {
      const instance = await cachedInstance(svc, c.req.param("instanceId"));
      if (!instance || new URL(instance.frontend_api_url).pathname !== `/fapi/${instance.id}`) {
        throw new ApiError("resource_not_found", { meta: { instance: "unknown" } });
      }
      const provider = await instanceProvider(svc, instance.id, hooks);
      if (!provider) throw new ApiError("resource_not_found", { meta: { instance: "unknown" } });
      await runProvider(provider, c, instance, https, `/.well-known/${name}`);
      return RESPONSE_ALREADY_SENT;
    });
  }
  return r;
}
