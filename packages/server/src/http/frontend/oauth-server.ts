import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import type { Hono } from "hono";
import { parse } from "hono/utils/cookie";
import { instanceProvider, type ProviderHooks } from "../../authorization-server/provider.js";
import { ApiError } from "../../errors/api-error.js";
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
