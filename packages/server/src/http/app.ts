import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { ApiError } from "../errors/api-error.js";
import {
  LOGO_REQUEST_OVERHEAD_BYTES,
  logoTooLarge,
  MAX_LOGO_BYTES,
} from "../organizations/organization-logos.js";
import type { Services } from "../services.js";
import { type InstanceEnv, platformAuth, secretKeyAuth } from "./auth.js";
import { jwksRoutes } from "./backend/jwks.js";
import { oauthAccessTokenRoutes } from "./backend/oauth-access-tokens.js";
import { organizationRoutes } from "./backend/organizations.js";
import { backendReference } from "./backend/reference.js";
import { sessionRoutes } from "./backend/sessions.js";
import { userRoutes } from "./backend/users.js";
import { MAX_BODY_BYTES } from "./body.js";
import { clientIp } from "./client-ip.js";
import { refuseControlCharacters } from "./control-characters.js";
import { dashboardRoutes } from "./dashboard/dashboard-routes.js";
import { DASHBOARD_PATH } from "./dashboard/url.js";
import { errorHandler } from "./errors.js";
import { requireForwardedHttps } from "./forwarded-proto.js";
import { clientSdkScriptRoutes } from "./frontend/client-sdk-script.js";
import { createHostRouter } from "./frontend/host-routing.js";
import { rootDiscoveryRoutes } from "./frontend/oauth-server.js";
import { frontendRoutes } from "./frontend/routes.js";
import { healthRoutes } from "./health.js";
import { oauthCallbackHandler } from "./oauth-callback.js";
import { organizationLogoRoutes } from "./organization-logo-route.js";
import { applicationRoutes } from "./platform/applications.js";
import { instanceRoutes } from "./platform/instances.js";
import { oauthApplicationRoutes } from "./platform/oauth-applications.js";
import { platformOrganizationRoutes } from "./platform/organizations.js";
import { platformReference } from "./platform/reference.js";
import { socialConnectionRoutes } from "./platform/social-connections.js";
import { webhookEndpointRoutes } from "./platform/webhook-endpoints.js";
import { LIMITS, rateLimit } from "./rate-limit.js";
import { openApiHandler } from "./reference/reference-routes.js";
import { requestLog } from "./request-log.js";
import { securityHeaders } from "./security-headers.js";

export interface FoyerApp {
  /** Web-standard handler: tests call it directly, the Node server adapts it. */
  /** `env` carries the Node request/response (client address for rate limits) when on a socket. */
  fetch(req: Request, env?: unknown): Promise<Response>;
  hono: Hono;
}

/** The Backend API's logo upload route (`PUT /v1/organizations/{id}/logo`). */
const LOGO_UPLOAD = /^\/v1\/organizations\/[^/]+\/logo$/;

/**
 * The whole HTTP surface of one Foyer process:
 * - /platform/v1/*  operator API (platform token)
 * - /v1/*           Backend API (secret key), plus the shared OAuth callback
 * - /fapi/:id/*     each instance's Frontend API (or its own host, rewritten here)
 * - /dashboard/*    operator dashboard (platform token sign-in, then a cookie session)
 * - /organization_logos/:id  uploaded organization logos (public images)
 * - /healthz, /readyz
 */
export function createApp(svc: Services): FoyerApp {
  const app = new Hono();
  app.onError(errorHandler(svc.log));
  app.notFound((c) => c.json(new ApiError("route_not_found").toBody(), 404));
  app.use("*", requestLog(svc.log));
  app.use("*", securityHeaders(svc));
  app.use("*", refuseControlCharacters());
  app.use("*", requireForwardedHttps(svc));
  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new ApiError("request_body_too_large");
    },
  });
  // Logo uploads (multipart) get their own, larger cap, with its own code.
  const limitLogo = bodyLimit({
    maxSize: MAX_LOGO_BYTES + LOGO_REQUEST_OVERHEAD_BYTES,
    onError: () => {
      throw logoTooLarge();
    },
  });
  // GET and HEAD carry no body; checking one would make the Node adapter build a full Request.
  app.use("*", (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    if (c.req.method === "PUT" && LOGO_UPLOAD.test(c.req.path)) return limitLogo(c, next);
    return limitBody(c, next);
  });

  app.route("/", healthRoutes(svc));
  app.route("/", organizationLogoRoutes(svc));
  app.route("/js", clientSdkScriptRoutes());

  // The API references: public, so registered before each API's credential check (see reference-routes.ts).
  app.get("/platform/v1/openapi.json", openApiHandler(platformReference));
  app.get("/v1/openapi.json", openApiHandler(backendReference));

  const platform = new Hono();
  platform.use("*", platformAuth(svc));
  platform.route("/applications", applicationRoutes(svc));
  platform.route("/instances", instanceRoutes(svc));
  platform.route("/instances", socialConnectionRoutes(svc));
  platform.route("/instances", webhookEndpointRoutes(svc));
  platform.route("/instances", platformOrganizationRoutes(svc));
  platform.route("/instances", oauthApplicationRoutes(svc));
  app.route("/platform/v1", platform);

  // The operator dashboard: HTML pages, its own cookie session, CSRF on every form.
  app.route(DASHBOARD_PATH, dashboardRoutes(svc));

  // The shared callback of development instances: registered before the Backend API's key check.
  // Shared by every process (svc.limits), so N processes together hold one limit.
  const perIp = rateLimit(
    svc.limits.counter(LIMITS.frontendPerIp, svc.config.rateLimits.frontendPerMinute),
    clientIp(svc.config.trustProxy),
  );
  app.get("/v1/oauth_callback", perIp, oauthCallbackHandler(svc));

  const backend = new Hono<InstanceEnv>();
  backend.use("*", secretKeyAuth(svc));
  // Per instance (the key's), after authentication so a flood of wrong keys cannot drain a real one.
  backend.use(
    "*",
    rateLimit(
      svc.limits.counter(LIMITS.backendPerInstance, svc.config.rateLimits.backendPerMinute),
      (c) => c.get("instance").id,
    ),
  );
  backend.route("/", jwksRoutes(svc));
  backend.route("/", oauthAccessTokenRoutes(svc));
  backend.route("/", userRoutes(svc));
  backend.route("/", sessionRoutes(svc));
  backend.route("/", organizationRoutes(svc));
  app.route("/v1", backend);

  app.use("/.well-known/*", perIp);
  app.route("/", rootDiscoveryRoutes(svc));
  app.use("/fapi/*", perIp);
  app.route("/fapi/:instanceId", frontendRoutes(svc));

  const routeHost = createHostRouter(svc);
  return {
    hono: app,
    fetch: async (req, env) => {
      const routed = await routeHost(req);
      return routed instanceof Response ? routed : app.fetch(routed, env);
    },
  };
}
