import type { OAuthConsentJSON } from "@foyer/contract";
import type { Hono } from "hono";
import { clientSummaryOf } from "../../authorization-server/client-lookup.js";
import { approvedClientsOf, revokeApproval } from "../../authorization-server/grants.js";
import { ApiError } from "../../errors/api-error.js";
import type { Services } from "../../services.js";
import type { InstanceEnv } from "../auth.js";
import { currentSession } from "./me.js";

/**
 * The user's approvals of OAuth clients (the instance's authorization server): `GET
 * /v1/me/oauth_consents` lists them, `DELETE /v1/me/oauth_consents/{client_id}` withdraws one,
 * its grant and every token issued under it (the client_id URL-encoded when it is a metadata
 * document URL). The user is always the session's; the DELETE passes cors.ts's cross-site refusal.
 */
export function meOAuthConsentRoutes(svc: Services) {
  return (r: Hono<InstanceEnv>) => {
    r.get("/v1/me/oauth_consents", async (c) => {
      const instance = c.get("instance");
      const { session } = await currentSession(svc, c);
      const approved = await approvedClientsOf(svc, instance.id, session.user_id);
      // One entry per client: the newest grant stands for the approval.
      const byClient = new Map(approved.reverse().map((a) => [a.client_id, a]));
      const response = await Promise.all(
        [...byClient.values()].reverse().map(async (a): Promise<OAuthConsentJSON> => {
          const client = await clientSummaryOf(svc, instance, a.client_id);
          return {
            object: "oauth_consent",
            client_id: a.client_id,
            client_name: client.name,
            client_host: client.host,
            scopes: a.scopes,
            resources: a.resources,
            created_at: a.created_at,
          };
        }),
      );
      return c.json({ response });
    });

    r.delete("/v1/me/oauth_consents/:clientId", async (c) => {
      const instance = c.get("instance");
      const { session } = await currentSession(svc, c);
      const clientId = c.req.param("clientId");
      if (!(await revokeApproval(svc, instance.id, session.user_id, clientId))) {
        throw new ApiError("resource_not_found", { meta: { client_id: clientId } });
      }
      return c.json({
        response: { object: "oauth_consent" as const, client_id: clientId, deleted: true as const },
      });
    });
  };
}
