/**
 * Backend API users, in Clerk's shapes (what `@clerk/backend`'s `users.*` calls parse):
 * list (an array), count ({object:"total_count"}), get, patch, metadata merge, delete (a deleted
 * object), unlinking an Atlassian account, and ban / unban / lock / unlock. Every lookup is scoped to the secret key's
 * instance, so another instance's user id is a 404.
 */
import { Hono } from "hono";
import { ApiError } from "../../errors/api-error.js";
import type { Services } from "../../services.js";
import { deleteExternalAccount, deleteUser } from "../../users/delete-user.js";
import { countUsers, listUsers, parseUserListQuery } from "../../users/list-users.js";
import { setUserRestriction } from "../../users/restrictions.js";
import { mergeUserMetadata, metadataSchema, updateUser, updateUserSchema } from "../../users/update-user.js";
import { findUser, loadUsersJson } from "../../users/users.js";
import type { InstanceEnv } from "../auth.js";
import { readBody } from "../body.js";

function notFound(): ApiError {
  return new ApiError("resource_not_found", { longMessage: "No user with that id in this instance." });
}

export function userRoutes(svc: Services): Hono<InstanceEnv> {
  const r = new Hono<InstanceEnv>();

  async function userJsonOf(instanceId: string, userId: string) {
    const user = await findUser(svc, instanceId, userId);
    if (!user) throw notFound();
    const [json] = await loadUsersJson(svc, instanceId, [user], "backend");
    return json!;
  }

  r.get("/users", async (c) => {
    const instance = c.get("instance");
    const q = parseUserListQuery(new URL(c.req.url).searchParams);
    const users = await listUsers(svc, instance.id, q);
    return c.json(await loadUsersJson(svc, instance.id, users, "backend"));
  });

  r.get("/users/count", async (c) => {
    const q = parseUserListQuery(new URL(c.req.url).searchParams);
    const total = await countUsers(svc, c.get("instance").id, q);
    return c.json({ object: "total_count", total_count: total });
  });

  r.get("/users/:userId", async (c) => c.json(await userJsonOf(c.get("instance").id, c.req.param("userId"))));

  r.patch("/users/:userId", async (c) => {
    const instance = c.get("instance");
    const user = await findUser(svc, instance.id, c.req.param("userId"));
    if (!user) throw notFound();
    await updateUser(svc, user, await readBody(c, updateUserSchema));
    return c.json(await userJsonOf(instance.id, user.id));
  });

  r.patch("/users/:userId/metadata", async (c) => {
    const instance = c.get("instance");
    const user = await findUser(svc, instance.id, c.req.param("userId"));
    if (!user) throw notFound();
    await mergeUserMetadata(svc, user, await readBody(c, metadataSchema));
    return c.json(await userJsonOf(instance.id, user.id));
  });

  // Clerk's ban / unban / lock / unlock: the user's JSON with `banned` / `locked` after the change.
  for (const [action, restriction, on] of [
    ["ban", "banned", true],
    ["unban", "banned", false],
    ["lock", "locked", true],
    ["unlock", "locked", false],
  ] as const) {
    r.post(`/users/:userId/${action}`, async (c) => {
      const instance = c.get("instance");
      const userId = c.req.param("userId");
      if (!(await setUserRestriction(svc, instance.id, userId, restriction, on))) throw notFound();
      if (on) svc.log.info({ instance_id: instance.id, user_id: userId, restriction }, `user ${restriction}`);
      return c.json(await userJsonOf(instance.id, userId));
    });
  }

  r.delete("/users/:userId", async (c) => {
    const id = c.req.param("userId");
    if (!(await deleteUser(svc, c.get("instance").id, id))) throw notFound();
    return c.json({ object: "user", id, deleted: true });
  });

  r.delete("/users/:userId/external_accounts/:externalAccountId", async (c) => {
    const instance = c.get("instance");
    const userId = c.req.param("userId");
    if (!(await findUser(svc, instance.id, userId))) throw notFound();
    const id = c.req.param("externalAccountId");
    if (!(await deleteExternalAccount(svc, instance.id, userId, id))) {
      throw new ApiError("resource_not_found", { longMessage: "No such external account for this user." });
    }
    return c.json({ object: "external_account", id, deleted: true });
  });

  return r;
}
