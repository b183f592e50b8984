import type { Hono } from "hono";
import type { Services } from "../../services.js";
import { readClientCookie } from "../../sessions/client-cookie.js";
import { findClient, liveSessionsOf } from "../../sessions/sessions.js";
import type { InstanceEnv } from "../auth.js";
import { renderPage } from "../pages/render.js";
import { SignedInPage } from "../pages/signed-in-page.js";
import { applicationName } from "./sign-in.js";

/** The default landing page after sign-in, for instances whose app named no redirect_url. */
export function signedInRoutes(svc: Services) {
  return (r: Hono<InstanceEnv>) => {
    r.get("/signed-in", async (c) => {
      const instance = c.get("instance");
      const client = await findClient(svc, instance, readClientCookie(c));
      let user: { name: string; email: string | null; imageUrl: string | null } | undefined;
      if (client) {
        const [session] = await liveSessionsOf(svc, instance, client.id);
        const row = session
          ? await svc.db.kysely
              .selectFrom("users")
              .leftJoin("email_addresses", "email_addresses.id", "users.primary_email_address_id")
              .select([
                "users.first_name",
                "users.last_name",
                "users.image_url",
                "email_addresses.email_address",
              ])
              .where("users.id", "=", session.user_id)
              .executeTakeFirst()
          : undefined;
        if (row) {
          user = {
            name: [row.first_name, row.last_name].filter(Boolean).join(" ") || "Atlassian user",
            email: row.email_address ?? null,
            imageUrl: row.image_url,
          };
        }
      }
      const name = await applicationName(svc, instance);
      return renderPage(c, (nonce) =>
        SignedInPage({
          nonce,
          applicationName: name,
          user,
          signInUrl: `${instance.frontend_api_url}/sign-in`,
        }),
      );
    });
  };
}
