import { Hono } from "hono";
import { z } from "zod";
import { ApiError } from "../../errors/api-error.js";
import { originAllowed, redirectOrigins } from "../../instances/instances.js";
import type { Services } from "../../services.js";
import { setActiveOrganization } from "../../sessions/active-organization.js";
import { clientJson } from "../../sessions/client-json.js";
import { frontendSessionJson } from "../../sessions/session-json.js";
import { mintSessionToken } from "../../sessions/session-tokens.js";
import { findClient } from "../../sessions/sessions.js";
import { endSession, signOutClient } from "../../sessions/sign-out.js";
import { findUser, loadUsersJson } from "../../users/users.js";
import type { InstanceEnv } from "../auth.js";
import { readBody } from "../body.js";
import { clearClientCookie, readClientCookie } from "./client-cookie.js";

const touchBody = z.strictObject({ active_organization_id: z.string().max(100).nullable().optional() });

/**
 * The browser's client and its sessions on the Frontend API, in Clerk's envelope:
 * `{ response, client }`. Authenticated by the `__client` cookie alone; nothing here ever returns
 * an Atlassian token. Every answer is `no-store`: it names the signed-in user or carries a JWT.
 */
export function clientRoutes(svc: Services) {
  return (r: Hono<InstanceEnv>) => {
    const client = new Hono<InstanceEnv>();
    client.use("*", async (c, next) => {
      await next();
      c.header("Cache-Control", "no-store");
    });

    // No cookie, or one this instance does not know: signed out, which is an answer, not an error.
    client.get("/", async (c) => {
      const instance = c.get("instance");
      const found = await findClient(svc, instance, readClientCookie(c, instance));
      const json = found ? await clientJson(svc, instance, found) : null;
      return c.json({ response: json, client: json });
    });

    client.delete("/", async (c) => {
      const instance = c.get("instance");
      const found = await findClient(svc, instance, readClientCookie(c, instance));
      clearClientCookie(c, instance);
      if (found) await signOutClient(svc, instance, found.id);
      return c.json({
        response: found ? { object: "client", id: found.id, deleted: true } : null,
        client: null,
      });
    });

    client.post("/sessions/:sid/tokens", async (c) => {
      const instance = c.get("instance");
      const origin = c.req.header("origin");
      // azp names the app origin the token was minted for; only origins the instance trusts.
      const azp =
        origin && (redirectOrigins(instance).includes(origin) || originAllowed(instance, origin))
          ? origin
          : undefined;
      const { jwt } = await mintSessionToken(
        svc,
        instance,
        readClientCookie(c, instance),
        c.req.param("sid"),
        azp,
      );
      return c.json({ object: "token", jwt });
    });

    client.post("/sessions/:sid/end", async (c) => {
      const instance = c.get("instance");
      const found = await findClient(svc, instance, readClientCookie(c, instance));
      if (!found) throw new ApiError("client_not_found");
      const session = await endSession(svc, instance, found.id, c.req.param("sid"));
      const user = await findUser(svc, instance.id, session.user_id);
      const [userJson] = user ? await loadUsersJson(svc, instance.id, [user], "frontend") : [null];
      return c.json({
        response: frontendSessionJson(session, instance, svc.now(), userJson ?? null),
        client: await clientJson(svc, instance, found),
      });
    });

    // Clerk's touch: `active_organization_id` switches the active organization ("" or null: none).
    client.post("/sessions/:sid/touch", async (c) => {
      const instance = c.get("instance");
      const found = await findClient(svc, instance, readClientCookie(c, instance));
      if (!found) throw new ApiError("client_not_found");
      const body = await readBody(c, touchBody, { allowForm: true });
      if (body.active_organization_id !== undefined) {
        await setActiveOrganization(
          svc,
          instance,
          found.id,
          c.req.param("sid"),
          body.active_organization_id || null,
        );
      }
      const json = await clientJson(svc, instance, found);
      const session = json.sessions.find((s) => s.id === c.req.param("sid"));
      if (!session) throw new ApiError("session_inactive");
      return c.json({ response: session, client: json });
    });

    r.route("/v1/client", client);
  };
}
