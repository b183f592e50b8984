import { Hono } from "hono";
import { ApiError } from "../../errors/api-error.js";
import type { Services } from "../../services.js";
import { applicationRoutes } from "./application-routes.js";
import { assetRoutes } from "./assets/routes.js";
import { signInRoutes, signOutRoutes } from "./auth-routes.js";
import { connectionRoutes } from "./connection-routes.js";
import { type DashboardEnv, dashboardHeaders, requireSession, sameOriginOnly } from "./guard.js";
import { instanceRoutes } from "./instance-routes.js";
import { oauthRoutes } from "./oauth-routes.js";
import { organizationRoutes } from "./organization-routes.js";
import { renderError } from "./render.js";
import { settingsRoutes } from "./settings-routes.js";
import { userRoutes } from "./user-routes.js";
import { webhookRoutes } from "./webhook-routes.js";

/**
 * The operator dashboard, mounted at /dashboard. Order matters: assets and the sign-in form are
 * public; everything registered after requireSession needs a live session (and a CSRF token on
 * POST). Every POST, sign-in included, must come from Foyer's own origin.
 */
export function dashboardRoutes(svc: Services): Hono<DashboardEnv> {
  const r = new Hono<DashboardEnv>();
  r.onError((err, c) => renderError(err, c, svc.log));
  r.use("*", dashboardHeaders());
  r.route("/assets", assetRoutes());
  r.use("*", sameOriginOnly(svc));
  signInRoutes(r, svc);
  r.use("*", requireSession(svc));
  signOutRoutes(r, svc);
  applicationRoutes(r, svc);
  instanceRoutes(r, svc);
  settingsRoutes(r, svc);
  connectionRoutes(r, svc);
  userRoutes(r, svc);
  organizationRoutes(r, svc);
  webhookRoutes(r, svc);
  oauthRoutes(r, svc);
  r.all("*", () => {
    throw new ApiError("route_not_found");
  });
  return r;
}
