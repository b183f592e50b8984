import { ERRORS, type ErrorCode, prefixedCookieName } from "@foyer/contract";
import type { Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import { randomToken, safeEqual } from "../../crypto/random.js";
import { ApiError, isApiError } from "../../errors/api-error.js";
import { queryParamInvalid } from "../../errors/query-param.js";
import { applicationName } from "../../instances/applications.js";
import type { Instance } from "../../instances/instances.js";
import { isLoopbackHost } from "../../instances/origins.js";
import { assertValidScopes, parseScopeString } from "../../providers/atlassian/scopes.js";
import type { Services } from "../../services.js";
import { findClient, liveSessionsOf } from "../../sessions/sessions.js";
import { userSummary } from "../../users/users.js";
import type { InstanceEnv } from "../auth.js";
import { readBody } from "../body.js";
import { startBoundFlow } from "../browser-binding.js";
import { ConnectDonePage, ConnectPage } from "../pages/connect-page.js";
import { renderPage } from "../pages/render.js";
import { readClientCookie } from "./client-cookie.js";

/**
 * The hosted reconnect page MCP servers (and apps) send a user to when a tool needs more of their
 * Atlassian grant: `GET /connect/atlassian?scope=…&cloud_id=…`. It starts the same connect flow
 * as POST /v1/me/external_accounts (the union-of-scopes rule: held scopes are asked again) for
 * the user signed in in this browser, or sends a signed-out user through sign-in first.
 */

const connectQuery = z.object({
  scope: z.string().max(2000).optional(),
  cloud_id: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,100}$/, { error: "cloud_id must be an Atlassian cloud id." })
    .optional(),
});

const connectForm = z.strictObject({
  _csrf: z.string().max(100),
  scope: z.string().max(2000).optional(),
  cloud_id: connectQuery.shape.cloud_id,
});

/** Codes the done page may show (the callback's `foyer_error`); anything else is ignored. */
const DONE_ERRORS: ErrorCode[] = [
  "oauth_access_denied",
  "oauth_state_expired",
  "oauth_state_invalid",
  "oauth_provider_unavailable",
  "oauth_code_invalid",
  "oauth_provider_error",
  "external_account_exists",
  "atlassian_site_required",
  "atlassian_site_not_allowed",
  "reverification_required",
  "internal_error",
];

/**
 * The form's CSRF token, double-submitted: a random value in a cookie only this Frontend API
 * sees (SameSite=Strict, `__Host-` on https) and in the form. A page elsewhere can neither read
 * the cookie nor set it, so it cannot build a POST that matches. (The Frontend API's Origin check
 * refuses cross-site POSTs as well; this holds where a browser sends neither Origin nor
 * Sec-Fetch-Site.)
 */
function csrfCookie(instance: Instance) {
  const https = new URL(instance.frontend_api_url).protocol === "https:";
  return {
    name: prefixedCookieName("foyer_connect_csrf", { https, path: "/" }),
    options: {
      path: "/",
      httpOnly: true,
      sameSite: "Strict" as const,
      secure: https || !isLoopbackHost(new URL(instance.frontend_api_url).hostname),
    },
  };
}

function parseScopes(value: string | undefined): string[] {
  const scopes = [...new Set(parseScopeString(value))];
  assertValidScopes(scopes, "scope");
  return scopes;
}

async function signedInSession(svc: Services, c: Context<InstanceEnv>) {
  const instance = c.get("instance");
  const client = await findClient(svc, instance, readClientCookie(c, instance));
  const [session] = client ? await liveSessionsOf(svc, instance, client.id) : [];
  return session;
}

const pageUrl = (instance: Instance) => `${instance.frontend_api_url}/connect/atlassian`;

export function connectPageRoutes(svc: Services) {
  return (r: Hono<InstanceEnv>) => {
    r.get("/connect/atlassian", async (c) => {
      const instance = c.get("instance");
      const name = await applicationName(svc, instance);
      const parsed = connectQuery.safeParse(c.req.query());
      let scopes: string[] = [];
      let error: ApiError | undefined;
      try {
        if (!parsed.success) throw queryParamInvalid(parsed.error);
        scopes = parseScopes(parsed.data.scope);
      } catch (err) {
        if (!isApiError(err)) throw err;
        error = err;
      }
      const cloudId = parsed.success ? (parsed.data.cloud_id ?? null) : null;
      if (error) {
        return renderPage(
          c,
          (nonce) =>
            ConnectPage({
              nonce,
              applicationName: name,
              user: undefined,
              scopes: [],
              cloudId: null,
              error: { code: error.code, message: error.longMessage ?? error.message },
            }),
          { status: error.status },
        );
      }
      const session = await signedInSession(svc, c);
      if (!session) {
        // Sign in first, then back here (the Frontend API's own origin is always a redirect target).
        const back = new URL(pageUrl(instance));
        if (scopes.length > 0) back.searchParams.set("scope", scopes.join(" "));
        if (cloudId) back.searchParams.set("cloud_id", cloudId);
        const signIn = new URL(`${instance.frontend_api_url}/sign-in`);
        signIn.searchParams.set("redirect_url", back.href);
        c.header("Cache-Control", "no-store");
        return c.redirect(signIn.href, 303);
      }
      const token = randomToken(24);
      const { name: cookieName, options } = csrfCookie(instance);
      setCookie(c, cookieName, token, { ...options, maxAge: 3600 });
      const user = await userSummary(svc, instance.id, session.user_id);
      return renderPage(
        c,
        (nonce) =>
          ConnectPage({
            nonce,
            applicationName: name,
            user,
            scopes,
            cloudId,
            action: pageUrl(instance),
            csrfToken: token,
          }),
        // The POST answers with a redirect to Atlassian, which form-action governs too.
        { formTargets: [svc.atlassian.authUrl] },
      );
    });

    r.post("/connect/atlassian", async (c) => {
      const instance = c.get("instance");
      const body = await readBody(c, connectForm, { allowForm: true });
      const { name: cookieName, options } = csrfCookie(instance);
      const expected = getCookie(c, cookieName);
      if (!expected || !safeEqual(expected, body._csrf)) throw new ApiError("csrf_token_invalid");
      deleteCookie(c, cookieName, { path: options.path, secure: options.secure });
      const scopes = parseScopes(body.scope);
      const session = await signedInSession(svc, c);
      if (!session) throw new ApiError("session_inactive");
      const flow = await startBoundFlow(svc, c, instance, {
        purpose: "connect",
        redirectUrl: `${pageUrl(instance)}/done`,
        additionalScopes: scopes,
        userId: session.user_id,
        sessionId: session.id,
      });
      c.header("Cache-Control", "no-store");
      return c.redirect(flow.authorizeUrl, 303);
    });

    r.get("/connect/atlassian/done", async (c) => {
      const instance = c.get("instance");
      const code = c.req.query("foyer_error") as ErrorCode | undefined;
      const error = code && DONE_ERRORS.includes(code) ? { code, message: ERRORS[code].message } : undefined;
      const name = await applicationName(svc, instance);
      return renderPage(c, (nonce) => ConnectDonePage({ nonce, applicationName: name, error }));
    });
  };
}
