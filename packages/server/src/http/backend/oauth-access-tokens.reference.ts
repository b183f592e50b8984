/** API reference entries of `oauth-access-tokens.ts` (paths relative to its router, mounted at /v1). */
import type { ErrorCode } from "@foyer/contract";
import { z } from "zod";
import { oauthAccessTokenJsonSchema } from "../../tokens/oauth-access-token-json-schema.js";
import { listOrPage } from "../reference/envelope-schemas.js";
import type { RouteDoc } from "../reference/route-doc.js";
import { tokenQuery } from "./oauth-access-tokens.js";

const params = { provider: z.enum(["oauth_atlassian"]).describe("Foyer connects one provider.") };
const response = {
  status: 200,
  description:
    "One item per connected Atlassian account. An account that cannot give a token is an item with `token: null` and its own `error`; the request fails only when every account fails.",
  schema: listOrPage(oauthAccessTokenJsonSchema),
};
/** The first account's error when every account failed, and the user's own refusals. */
const errors: ErrorCode[] = [
  "resource_not_found",
  "query_param_invalid",
  "user_banned",
  "user_locked",
  "oauth_reauthorization_required",
  "oauth_missing_refresh_token",
  "oauth_invalid_client",
  "oauth_provider_error",
  "oauth_provider_unavailable",
];

export const oauthAccessTokenRouteDocs: RouteDoc[] = [
  {
    method: "get",
    path: "/users/:userId/oauth_access_tokens/:provider",
    summary: "Get a user's Atlassian access tokens",
    description:
      "Fresh tokens, refreshed first when less than a minute is left. Never a refresh token; never cached.",
    params,
    query: tokenQuery,
    response,
    errors,
  },
  {
    method: "post",
    path: "/users/:userId/oauth_access_tokens/:provider/refresh",
    summary: "Refresh a user's Atlassian access tokens now",
    description: "For an app whose call Atlassian refused with 401; single-flight with the normal path.",
    params,
    query: tokenQuery,
    response,
    errors,
  },
];
