/**
 * `GET /v1/users/{user_id}/oauth_access_tokens/oauth_atlassian`: a fresh Atlassian access token
 * for each of the user's connected Atlassian accounts, refreshed first when it has less than a
 * minute left. Clerk's shape: a plain array, or `{data, total_count}` when `paginated=true`
 * (what `@clerk/backend` 3.x asks for). Never a refresh token, never cached.
 */
import { Hono } from "hono";
import { ApiError } from "../../errors/api-error.js";
import { atlassianAccountsOf } from "../../external-accounts/atlassian-accounts.js";
import type { Services } from "../../services.js";
import { freshAccessToken } from "../../tokens/fresh-token.js";
import { oauthAccessTokenJson } from "../../tokens/oauth-access-token-json.js";
import { findUser } from "../../users/users.js";
import type { InstanceEnv } from "../auth.js";

const PROVIDER = "oauth_atlassian";

export function oauthAccessTokenRoutes(svc: Services): Hono<InstanceEnv> {
  const r = new Hono<InstanceEnv>();
  r.get("/users/:userId/oauth_access_tokens/:provider", async (c) => {
    const instance = c.get("instance");
    const provider = c.req.param("provider");
    // @clerk/backend adds the "oauth_" prefix itself, so the path always carries oauth_atlassian.
    if (provider !== PROVIDER) {
      throw new ApiError("resource_not_found", {
        longMessage: "Foyer connects one provider: oauth_atlassian.",
        meta: { param_name: "provider" },
      });
    }
    const userId = c.req.param("userId");
    const accounts = await atlassianAccountsOf(svc.db.kysely, instance.id, [userId]);
    // Only an empty answer needs to know whether the user exists at all (an empty list vs a 404).
    if (accounts.length === 0 && !(await findUser(svc, instance.id, userId))) {
      throw new ApiError("resource_not_found", { longMessage: "No user with that id in this instance." });
    }
    // One account's failure (reauthorization, outage) answers the whole request with its code:
    // an app asking for "the user's Atlassian token" must learn it cannot have it.
    const items = [];
    for (const account of accounts) {
      items.push(
        oauthAccessTokenJson(svc.atlassian.apiUrl, await freshAccessToken(svc, instance, account.row)),
      );
    }
    const body = c.req.query("paginated") === "true" ? { data: items, total_count: items.length } : items;
    return c.json(body, 200, { "Cache-Control": "no-store", Pragma: "no-cache" });
  });
  return r;
}
