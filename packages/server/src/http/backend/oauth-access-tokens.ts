/**
 * `GET /v1/users/{user_id}/oauth_access_tokens/oauth_atlassian`: a fresh Atlassian access token
 * for each of the user's connected Atlassian accounts, refreshed first when it has less than a
 * minute left. Clerk's shape: a plain array, or `{data, total_count}` when `paginated=true`
 * (what `@clerk/backend` 3.x asks for). Never a refresh token, never cached.
 *
 * `POST …/oauth_atlassian/refresh`: the same, refreshed now (an app whose call Atlassian refused
 * with 401 asks for this), single-flight with the normal path.
 *
 * Each account stands alone: one that cannot give a token is an item with `token: null` and its
 * own `error`; the request fails (with the first account's error) only when every account fails.
 */
import type { OAuthAccessTokenJSON } from "@foyer/contract";
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { ApiError, isApiError } from "../../errors/api-error.js";
import { userAndAtlassianAccounts } from "../../external-accounts/atlassian-accounts.js";
import { findOrganization } from "../../organizations/organizations.js";
import type { Services } from "../../services.js";
import { freshAccessToken } from "../../tokens/fresh-token.js";
import { oauthAccessTokenErrorJson, oauthAccessTokenJson } from "../../tokens/oauth-access-token-json.js";
import { restrictionError } from "../../users/restrictions.js";
import type { InstanceEnv } from "../auth.js";

const PROVIDER = "oauth_atlassian";

/** Any value is accepted, as before; only `true` changes the answer's shape. */
export const tokenQuery = z.object({
  paginated: z
    .string()
    .optional()
    .describe("`true`: answer `{ data, total_count }` instead of a plain array."),
  organization_id: z
    .string()
    .max(100)
    .optional()
    .describe(
      "A site organization (`org_…`): only the accounts whose grant reaches its Atlassian site, each listing that site alone.",
    ),
});

/** The cloud id of a site organization of the instance; a 404 or 400 naming `organization_id` otherwise. */
async function organizationSite(svc: Services, instanceId: string, organizationId: string): Promise<string> {
  const org = organizationId.startsWith("org_")
    ? await findOrganization(svc, instanceId, organizationId)
    : undefined;
  if (!org) {
    throw new ApiError("resource_not_found", {
      longMessage: "No organization with that id in this instance.",
      meta: { param_name: "organization_id" },
    });
  }
  if (!org.atlassian_cloud_id) {
    throw new ApiError("query_param_invalid", {
      longMessage: "That organization stands for no Atlassian site (see organizations_from_sites).",
      meta: { param_name: "organization_id" },
    });
  }
  return org.atlassian_cloud_id;
}

export function oauthAccessTokenRoutes(svc: Services): Hono<InstanceEnv> {
  const r = new Hono<InstanceEnv>();
  const answer = async (c: Context<InstanceEnv>, force: boolean) => {
    const instance = c.get("instance");
    // @clerk/backend adds the "oauth_" prefix itself, so the path always carries oauth_atlassian.
    if (c.req.param("provider") !== PROVIDER) {
      throw new ApiError("resource_not_found", {
        longMessage: "Foyer connects one provider: oauth_atlassian.",
        meta: { param_name: "provider" },
      });
    }
    const query = tokenQuery.safeParse(c.req.query());
    if (!query.success) {
      throw new ApiError("query_param_invalid", {
        meta: { param_name: String(query.error.issues[0]?.path[0]) },
      });
    }
    // Asked for one organization: its site's cloud id (the hot path, without it, reads nothing more).
    const onlySite = query.data.organization_id
      ? await organizationSite(svc, instance.id, query.data.organization_id)
      : undefined;
    const userId = c.req.param("userId")!;
    // A deleted user is a 404; a banned or locked one gets no Atlassian token (403).
    const { user, accounts } = await userAndAtlassianAccounts(svc, instance.id, userId);
    if (!user)
      throw new ApiError("resource_not_found", { longMessage: "No user with that id in this instance." });
    const stopped = restrictionError(user);
    if (stopped) throw new ApiError(stopped);
    const reaching = onlySite
      ? accounts.filter((a) => a.sites.some((site) => site.id === onlySite && site.status !== "lost"))
      : accounts;
    const results = await Promise.allSettled(
      reaching.map((account) => freshAccessToken(svc, instance, account.row, { force })),
    );
    const items: OAuthAccessTokenJSON[] = [];
    let firstError: ApiError | undefined;
    results.forEach((result, i) => {
      if (result.status === "fulfilled") {
        items.push(
          oauthAccessTokenJson(
            svc.atlassian.apiUrl,
            result.value,
            instance.allowed_atlassian_sites,
            onlySite,
          ),
        );
        return;
      }
      if (!isApiError(result.reason)) throw result.reason;
      firstError ??= result.reason;
      items.push(oauthAccessTokenErrorJson(reaching[i]!, result.reason));
    });
    if (firstError && items.every((item) => item.token === null)) throw firstError;
    const body = query.data.paginated === "true" ? { data: items, total_count: items.length } : items;
    return c.json(body, 200, { "Cache-Control": "no-store", Pragma: "no-cache" });
  };
  r.get("/users/:userId/oauth_access_tokens/:provider", (c) => answer(c, false));
  r.post("/users/:userId/oauth_access_tokens/:provider/refresh", (c) => answer(c, true));
  return r;
}
