/**
 * The control API over HTTP, under /__emulator. It mirrors EmulatorControl one to one so a
 * process that did not start the emulator (Foyer's CLI, a benchmark) can drive it.
 */
import { type Context, Hono } from "hono";
import type { z } from "zod";
import type { EmulatorState } from "../state.js";
import type { EmulatorControl } from "../types.js";
import { EmulatorControlError } from "./control.js";
import { IndexPage } from "./index-page.js";
import {
  accountPatchSchema,
  accountRefSchema,
  accountSchema,
  appSchema,
  clockSchema,
  consentAnswerSchema,
  faultSchema,
  grantRefSchema,
  seedSchema,
  settingsPatchSchema,
  siteSchema,
} from "./schemas.js";

const BASE = "/__emulator";

export function controlRoutes(state: EmulatorState, control: EmulatorControl): Hono {
  const app = new Hono().basePath(BASE);

  app.onError((err, c) => {
    if (err instanceof EmulatorControlError) {
      return c.json({ error: err.code, message: err.message }, err.code === "invalid_argument" ? 400 : 404);
    }
    return c.json({ error: "internal", message: "Control request failed" }, 500);
  });

  // A page on the internet must not reset or reconfigure a developer's emulator: a browser names
  // the page's origin (Origin) and whether the request is cross-site (Sec-Fetch-Site); tools
  // such as curl, Foyer's CLI and tests send neither and pass. (A DNS-rebinding page looks
  // same-origin to both checks: bind the emulator to loopback.)
  app.use("*", async (c, next) => {
    const origin = c.req.header("origin");
    const own = new URL(c.req.url).origin;
    if ((origin !== undefined && origin !== own) || c.req.header("sec-fetch-site") === "cross-site") {
      return c.json(
        { error: "cross_site_refused", message: "The control API refuses cross-site requests" },
        403,
      );
    }
    await next();
  });

  app.get("/", (c) => c.html(<IndexPage state={state} />));

  /** Reads and validates a JSON body; a 400 Response with zod's message when it does not fit. */
  async function body<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T> | Response> {
    let value: unknown;
    try {
      value = await c.req.json();
    } catch {
      return c.json({ error: "invalid_json", message: "Body must be JSON" }, 400);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const message = parsed.error.issues
        .map((i) => `${i.path.join(".") || "body"}: ${i.message}`)
        .join("; ");
      return c.json({ error: "invalid_body", message }, 400);
    }
    return parsed.data;
  }

  const ok = (c: Context) => c.json({ ok: true });

  app.post("/seed", async (c) => {
    const b = await body(c, seedSchema);
    if (b instanceof Response) return b;
    control.seed(b);
    return ok(c);
  });
  app.post("/apps", async (c) => {
    const b = await body(c, appSchema);
    if (b instanceof Response) return b;
    control.upsertApp(b);
    return ok(c);
  });
  app.post("/accounts", async (c) => {
    const b = await body(c, accountSchema);
    if (b instanceof Response) return b;
    control.upsertAccount(b);
    return ok(c);
  });
  app.patch("/accounts/:accountId", async (c) => {
    const b = await body(c, accountPatchSchema);
    if (b instanceof Response) return b;
    control.updateAccount(c.req.param("accountId"), b);
    return ok(c);
  });
  // One account's membership of one site: DELETE removes the user from the site, PUT adds them back.
  app.delete("/accounts/:accountId/sites/:cloudId", (c) => {
    control.revokeSiteAccess(c.req.param("accountId"), c.req.param("cloudId"));
    return ok(c);
  });
  app.put("/accounts/:accountId/sites/:cloudId", (c) => {
    control.restoreSiteAccess(c.req.param("accountId"), c.req.param("cloudId"));
    return ok(c);
  });
  app.post("/sites", async (c) => {
    const b = await body(c, siteSchema);
    if (b instanceof Response) return b;
    control.upsertSite(b);
    return ok(c);
  });
  app.delete("/sites/:cloudId", (c) => {
    control.removeSite(c.req.param("cloudId"));
    return ok(c);
  });
  app.post("/consent", async (c) => {
    const b = await body(c, consentAnswerSchema);
    if (b instanceof Response) return b;
    control.queueConsent(b);
    return ok(c);
  });
  app.put("/auto-consent", async (c) => {
    const b = await body(c, consentAnswerSchema.nullable());
    if (b instanceof Response) return b;
    control.setAutoConsent(b);
    return ok(c);
  });
  app.delete("/auto-consent", (c) => {
    control.setAutoConsent(null);
    return ok(c);
  });
  app.post("/faults", async (c) => {
    const b = await body(c, faultSchema);
    if (b instanceof Response) return b;
    control.setFault(b.name, b.on);
    return ok(c);
  });
  app.delete("/faults", (c) => {
    control.clearFaults();
    return ok(c);
  });
  app.post("/revoke", async (c) => {
    const b = await body(c, grantRefSchema);
    if (b instanceof Response) return b;
    control.revokeGrant(b.clientId, b.accountId);
    return ok(c);
  });
  app.post("/password-change", async (c) => {
    const b = await body(c, accountRefSchema);
    if (b instanceof Response) return b;
    control.changePassword(b.accountId);
    return ok(c);
  });
  app.get("/clock", (c) => c.json({ now: control.now() }));
  app.post("/clock/advance", async (c) => {
    const b = await body(c, clockSchema);
    if (b instanceof Response) return b;
    control.advanceClock(b.ms);
    return c.json({ now: control.now() });
  });
  app.get("/settings", (c) => c.json(control.settings()));
  app.patch("/settings", async (c) => {
    const b = await body(c, settingsPatchSchema);
    if (b instanceof Response) return b;
    return c.json(control.settings(b));
  });
  app.get("/counters", (c) => c.json(control.counters()));
  app.delete("/counters", (c) => {
    control.resetCounters();
    return ok(c);
  });
  app.get("/grants", (c) => c.json(control.grants()));
  app.get("/last-authorize", (c) => c.json(control.lastAuthorizeRequest()));
  app.post("/reset", (c) => {
    control.reset();
    return ok(c);
  });
  app.all("/*", (c) => c.json({ error: "not_found", message: "No such control endpoint" }, 404));

  return app;
}
