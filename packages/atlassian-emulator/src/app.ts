/**
 * Puts the route groups together. One Hono app can serve auth.atlassian.com paths,
 * api.atlassian.com paths and the control API at once: the paths never collide.
 */
import { Hono } from "hono";
import { cors } from "hono/cors";
import { avatarRoutes } from "./api/avatars.js";
import { identityRoutes } from "./api/identity.js";
import { productRoutes } from "./api/products.js";
import { authorizeRoutes } from "./authorize/routes.js";
import { createControl } from "./control/control.js";
import { controlRoutes } from "./control/routes.js";
import { createState, type EmulatorState } from "./state.js";
import { tokenRoutes } from "./token/routes.js";
import type { EmulatorControl, EmulatorOptions } from "./types.js";

export interface EmulatorRoles {
  auth: boolean;
  api: boolean;
  control: boolean;
}

export function buildApp(state: EmulatorState, control: EmulatorControl, roles: EmulatorRoles): Hono {
  const app = new Hono();
  if (roles.control) app.route("/", controlRoutes(state, control));
  if (roles.auth) {
    app.route("/", authorizeRoutes(state));
    app.route("/", tokenRoutes(state));
  }
  if (roles.api) {
    // api.atlassian.com answers CORS (atlassian-3lo §9); the token endpoint still needs a secret.
    const apiCors = cors({ origin: "*", allowHeaders: ["Authorization", "Accept", "Content-Type"] });
    app.use("/me", apiCors);
    app.use("/oauth/token/accessible-resources", apiCors);
    app.use("/ex/*", apiCors);
    app.route("/", identityRoutes(state));
    app.route("/", avatarRoutes());
    app.route("/", productRoutes(state));
  }
  app.notFound((c) => c.json({ code: 404, message: "Not Found" }, 404));
  return app;
}

/** The emulator as a request handler, without a socket: call `app.request()` in tests. */
export function createAtlassianEmulator(opts: EmulatorOptions = {}): { app: Hono; control: EmulatorControl } {
  const state = createState(opts.seed, opts.settings);
  const control = createControl(state);
  return { app: buildApp(state, control, { auth: true, api: true, control: true }), control };
}
