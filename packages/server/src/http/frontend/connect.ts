import type { Hono } from "hono";
import { z } from "zod";
import { ApiError } from "../../errors/api-error.js";
import { requireOwnExternalAccount } from "../../external-accounts/connect-target.js";
import { parseScopeString } from "../../providers/atlassian/scopes.js";
import type { Services } from "../../services.js";
import { findClient, liveSessionsOf } from "../../sessions/sessions.js";
import type { InstanceEnv } from "../auth.js";
import { readBody } from "../body.js";
import { startBoundFlow } from "../browser-binding.js";
import { readClientCookie } from "./client-cookie.js";

const connectBody = z.strictObject({
  strategy: z.literal("oauth_atlassian"),
  redirect_url: z.string().max(2000).optional(),
  additional_scopes: z.union([z.array(z.string().max(100)).max(50), z.string().max(2000)]).optional(),
  session_id: z.string().max(100).optional(),
  /** The user's external account the consent is for: another account coming back is refused. */
  external_account_id: z.string().max(100).optional(),
});

/**
 * Connect Atlassian to the signed-in user, reauthorize a dead grant, or ask for more scopes and
 * sites (Clerk's createExternalAccount / reauthorize). The user comes from this browser's live
 * session, recorded in the transaction; no user id is ever taken from the request. With
 * `external_account_id` (one of the user's accounts) the consent is for that account: Atlassian
 * cannot be told which account to use, so a consent for another one comes back as
 * `foyer_error=external_account_mismatch` and changes nothing.
 */
export function connectRoutes(svc: Services) {
  return (r: Hono<InstanceEnv>) => {
    r.post("/v1/me/external_accounts", async (c) => {
      const instance = c.get("instance");
      const body = await readBody(c, connectBody, { allowForm: true });
      const client = await findClient(svc, instance, readClientCookie(c, instance));
      if (!client) throw new ApiError("client_not_found");
      const session = (await liveSessionsOf(svc, instance, client.id)).find(
        (s) => body.session_id === undefined || s.id === body.session_id,
      );
      if (!session) throw new ApiError("session_inactive");
      if (body.external_account_id !== undefined) {
        await requireOwnExternalAccount(svc, instance.id, session.user_id, body.external_account_id);
      }
      const additionalScopes =
        typeof body.additional_scopes === "string"
          ? parseScopeString(body.additional_scopes)
          : body.additional_scopes;
      const flow = await startBoundFlow(svc, c, instance, {
        purpose: "connect",
        redirectUrl: body.redirect_url,
        additionalScopes,
        userId: session.user_id,
        sessionId: session.id,
        externalAccountId: body.external_account_id,
      });
      c.header("Cache-Control", "no-store");
      return c.json({
        response: {
          object: "external_account",
          provider: "oauth_atlassian",
          verification: {
            status: "unverified",
            strategy: "oauth_atlassian",
            external_verification_redirect_url: flow.authorizeUrl,
            expire_at: flow.expiresAt,
          },
        },
        client: null,
      });
    });
  };
}
