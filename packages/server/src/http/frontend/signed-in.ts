import type { Hono } from "hono";
import { applicationName } from "../../instances/applications.js";
import type { Services } from "../../services.js";
import { findClient, liveSessionsOf } from "../../sessions/sessions.js";
import { userSummary } from "../../users/users.js";
import type { InstanceEnv } from "../auth.js";
import { renderPage } from "../pages/render.js";
import { SignedInPage } from "../pages/signed-in-page.js";
import { readClientCookie } from "./client-cookie.js";

/** The default landing page after sign-in, for instances whose app named no redirect_url. */
export function signedInRoutes(svc: Services) {
  return (r: Hono<InstanceEnv>) => {
    r.get("/signed-in", async (c) => {
      const instance = c.get("instance");
      const client = await findClient(svc, instance, readClientCookie(c, instance));
      const [session] = client ? await liveSessionsOf(svc, instance, client.id) : [];
      const user = session ? await userSummary(svc, instance.id, session.user_id) : undefined;
      const name = await applicationName(svc, instance);
      return renderPage(c, (nonce) =>
        SignedInPage({
          nonce,
          applicationName: name,
          user,
          signInUrl: `${instance.frontend_api_url}/sign-in`,
          // The way back to the app: its after-sign-in URL, else the home of its first origin.
          appUrl:
            instance.after_sign_in_url ??
            (instance.allowed_origins[0] ? `${instance.allowed_origins[0]}/` : null),
        }),
      );
    });
  };
}
