import type { Hono } from "hono";
import { randomToken, safeEqual } from "../../crypto/random.js";
import { ApiError } from "../../errors/api-error.js";
import {
  createDashboardSession,
  DASHBOARD_SESSION_TTL_MS,
  endDashboardSession,
  findDashboardSession,
} from "../../operators/dashboard-sessions.js";
import type { Services } from "../../services.js";
import { isPlatformToken, platformTokenThrottle } from "../auth.js";
import { clearCookie, readCookie, SESSION_COOKIE, SIGN_IN_CSRF_COOKIE, writeCookie } from "./cookies.js";
import { CSRF_FIELD, readForm } from "./form.js";
import type { DashboardEnv } from "./guard.js";
import { render } from "./render.js";
import { DASHBOARD_PATH } from "./url.js";
import { SignInPage } from "./views/sign-in.js";

const SIGN_IN_FORM_TTL_MS = 30 * 60 * 1000;

/**
 * Sign-in with the platform token. Before sign-in there is no session to bind a CSRF token to,
 * so the form's token is a random value also set in a SameSite=Strict cookie (double submit):
 * another site can neither read it nor make the browser send it. Wrong tokens are throttled per
 * source together with the Platform API's (the same secret), shared by every process.
 */
export function signInRoutes(r: Hono<DashboardEnv>, svc: Services): void {
  const throttle = platformTokenThrottle(svc);
  r.get("/sign-in", async (c) => {
    if (await findDashboardSession(svc, readCookie(c, svc, SESSION_COOKIE)))
      return c.redirect(DASHBOARD_PATH, 303);
    const formToken = randomToken(32);
    writeCookie(c, svc, SIGN_IN_CSRF_COOKIE, formToken, SIGN_IN_FORM_TTL_MS);
    return render(c, <SignInPage formToken={formToken} />);
  });

  r.post("/sign-in", async (c) => {
    const source = throttle.sourceOf(c);
    throttle.refuse(source);
    const form = await readForm(c);
    const expected = readCookie(c, svc, SIGN_IN_CSRF_COOKIE);
    const submitted = form.get(CSRF_FIELD);
    if (!expected || !submitted || !safeEqual(submitted, expected)) throw new ApiError("csrf_token_invalid");
    const token = form.get("platform_token")?.trim() ?? "";
    if (!isPlatformToken(svc, token)) {
      await throttle.failed(source);
      svc.log.warn({ event: "dashboard_sign_in_refused" }, "dashboard sign-in with a wrong platform token");
      return render(
        c,
        <SignInPage formToken={expected} error={new ApiError("platform_token_invalid").message} />,
        401,
      );
    }
    const session = await createDashboardSession(svc);
    clearCookie(c, svc, SIGN_IN_CSRF_COOKIE);
    writeCookie(c, svc, SESSION_COOKIE, session.token, DASHBOARD_SESSION_TTL_MS);
    svc.log.info({ event: "dashboard_signed_in" }, "dashboard sign-in");
    return c.redirect(DASHBOARD_PATH, 303);
  });
}

/** Sign-out ends the session in the database, so every Foyer process forgets it at once. */
export function signOutRoutes(r: Hono<DashboardEnv>, svc: Services): void {
  r.post("/sign-out", async (c) => {
    await endDashboardSession(svc, c.get("dashboard").token);
    clearCookie(c, svc, SESSION_COOKIE);
    return c.redirect(`${DASHBOARD_PATH}/sign-in`, 303);
  });
}
