import type { Context, Hono } from "hono";
import type { SessionTable } from "../../db/schema.js";
import { ApiError } from "../../errors/api-error.js";
import type { Instance } from "../../instances/instances.js";
import { originAllowed } from "../../instances/instances.js";
import { ownMembershipsJson } from "../../organizations/memberships.js";
import type { Services } from "../../services.js";
import { clientJson } from "../../sessions/client-json.js";
import { sessionsOfUser } from "../../sessions/list-sessions.js";
import { sessionWithActivityJson } from "../../sessions/session-json.js";
import { findClient, liveSessionsOf } from "../../sessions/sessions.js";
import { activeSessionsOfUser, revokeOwnSession } from "../../sessions/user-sessions.js";
import { unlinkOwnExternalAccount } from "../../users/unlink-account.js";
import { findUser, loadUsersJson } from "../../users/users.js";
import type { InstanceEnv } from "../auth.js";
import { readClientCookie } from "./client-cookie.js";
import { originNotAllowedMessage } from "./origin-help.js";

/**
 * The signed-in user's session on this browser: the one `?_clerk_session_id=` names (as Clerk's
 * SDKs send it), else the most recently active. The user is always the session's, never an id
 * from the request.
 */
export async function currentSession(svc: Services, c: Context<InstanceEnv>) {
  const instance = c.get("instance");
  const client = await findClient(svc, instance, readClientCookie(c, instance));
  if (!client) throw new ApiError("client_not_found");
  const wanted = c.req.query("_clerk_session_id");
  const session = (await liveSessionsOf(svc, instance, client.id)).find(
    (s) => wanted === undefined || s.id === wanted,
  );
  if (!session) throw new ApiError("session_inactive");
  return { client, session };
}

async function userJsonOf(svc: Services, instance: Instance, userId: string) {
  const user = await findUser(svc, instance.id, userId);
  if (!user) throw new ApiError("session_inactive");
  const [json] = await loadUsersJson(svc, instance.id, [user], "frontend");
  return json!;
}

/**
 * The user's own side of the Frontend API, on Clerk's paths: `GET /v1/me` (the profile),
 * `GET /v1/me/sessions/active` (their sessions on every device), `GET /v1/me/sessions` (ended
 * ones too, at most 100), `POST /v1/me/sessions/{id}/revoke`
 * (end one of them), `DELETE /v1/me/external_accounts/{id}` (unlink), `GET
 * /v1/me/organization_memberships` (the organizations they can switch to). Cookie-authenticated;
 * the state-changing ones pass the cross-site refusal in cors.ts first, as every route does.
 * Also `GET /v1/origin_check`, open to any origin, so @foyer/js can say why a CORS request failed.
 */
export function meRoutes(svc: Services) {
  return (r: Hono<InstanceEnv>) => {
    r.use("/v1/me/*", async (c, next) => {
      await next();
      c.header("Cache-Control", "no-store");
    });
    r.use("/v1/me", async (c, next) => {
      await next();
      c.header("Cache-Control", "no-store");
    });

    r.get("/v1/me", async (c) => {
      const instance = c.get("instance");
      const { client, session } = await currentSession(svc, c);
      return c.json({
        response: await userJsonOf(svc, instance, session.user_id),
        client: await clientJson(svc, instance, client),
      });
    });

    r.get("/v1/me/sessions/active", async (c) => {
      const instance = c.get("instance");
      const { client, session } = await currentSession(svc, c);
      const [user, sessions] = await Promise.all([
        userJsonOf(svc, instance, session.user_id),
        activeSessionsOfUser(svc, instance, session.user_id),
      ]);
      const now = svc.now();
      return c.json({
        response: sessions.map((s: SessionTable) =>
          sessionWithActivityJson(s, instance, now, user, s.client_id === client.id),
        ),
        client: await clientJson(svc, instance, client),
      });
    });

    // Ended ones too (signed out, revoked, expired, …), newest first: the user's sign-in history.
    r.get("/v1/me/sessions", async (c) => {
      const instance = c.get("instance");
      const { client, session } = await currentSession(svc, c);
      const [user, sessions] = await Promise.all([
        userJsonOf(svc, instance, session.user_id),
        sessionsOfUser(svc, instance, session.user_id),
      ]);
      const now = svc.now();
      return c.json({
        response: sessions.map((s) =>
          sessionWithActivityJson(s, instance, now, user, s.client_id === client.id),
        ),
        client: await clientJson(svc, instance, client),
      });
    });

    // What `setActive({ organization })` may switch to: the user's own memberships, no private_metadata.
    r.get("/v1/me/organization_memberships", async (c) => {
      const instance = c.get("instance");
      const { client, session } = await currentSession(svc, c);
      const data = await ownMembershipsJson(svc, instance.id, session.user_id);
      return c.json({
        response: { data, total_count: data.length },
        client: await clientJson(svc, instance, client),
      });
    });

    r.post("/v1/me/sessions/:sid/revoke", async (c) => {
      const instance = c.get("instance");
      const { client, session } = await currentSession(svc, c);
      const revoked = await revokeOwnSession(svc, instance, session.user_id, c.req.param("sid"));
      const user = await userJsonOf(svc, instance, session.user_id);
      return c.json({
        response: sessionWithActivityJson(
          revoked,
          instance,
          svc.now(),
          user,
          revoked.client_id === client.id,
        ),
        client: await clientJson(svc, instance, client),
      });
    });

    r.delete("/v1/me/external_accounts/:id", async (c) => {
      const instance = c.get("instance");
      const { client, session } = await currentSession(svc, c);
      const id = c.req.param("id");
      await unlinkOwnExternalAccount(svc, instance, session.user_id, id, session.id);
      return c.json({
        response: { object: "external_account", id, deleted: true },
        client: await clientJson(svc, instance, client),
      });
    });

    // A CORS failure hides the answer from the page; this one answers every origin (no
    // credentials, nothing secret: only whether the asking origin is allowed, and where to add it).
    r.get("/v1/origin_check", (c) => {
      const instance = c.get("instance");
      const origin = c.req.header("origin") ?? null;
      const allowed = origin !== null && originAllowed(instance, origin);
      c.header("Access-Control-Allow-Origin", "*");
      c.header("Cache-Control", "no-store");
      return c.json({
        object: "origin_check",
        origin,
        allowed,
        message: origin && !allowed ? originNotAllowedMessage(svc, instance, origin) : null,
      });
    });
  };
}
