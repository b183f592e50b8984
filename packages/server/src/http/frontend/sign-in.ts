import { ERRORS, type ErrorCode } from "@foyer/contract";
import type { Hono } from "hono";
import { z } from "zod";
import { resolveAtlassianClient } from "../../connections/atlassian-connection.js";
import { ApiError, isApiError } from "../../errors/api-error.js";
import { applicationName } from "../../instances/applications.js";
import { allowedRedirectFor } from "../../instances/instances.js";
import { signInPageUrl } from "../../oauth/callback.js";
import type { Services } from "../../services.js";
import type { InstanceEnv } from "../auth.js";
import { readBody } from "../body.js";
import { startBoundFlow } from "../browser-binding.js";
import { renderPage } from "../pages/render.js";
import { SignInPage } from "../pages/sign-in-page.js";

/** Codes the hosted page may be asked to show (anything else in ?error= is ignored). */
const PAGE_ERRORS: ErrorCode[] = [
  "oauth_access_denied",
  "atlassian_site_required",
  "atlassian_site_not_allowed",
  "oauth_provider_unavailable",
  "oauth_state_invalid",
  "oauth_invalid_client",
  "oauth_code_invalid",
  "oauth_provider_error",
  "atlassian_account_inactive",
  "atlassian_account_not_supported",
  "user_banned",
  "user_locked",
  "oauth_sign_in_not_allowed",
  "social_connection_disabled",
  "redirect_url_not_allowed",
  "rate_limited",
  "internal_error",
];

const startBody = z.strictObject({
  strategy: z.literal("oauth_atlassian"),
  redirect_url: z.string().max(2000).optional(),
  // Clerk's SDKs send this name for the same thing.
  action_complete_redirect_url: z.string().max(2000).optional(),
});

/** The sign-in object in the shape of Clerk's Frontend API. */
function signInJson(flow: { id: string; authorizeUrl: string; expiresAt: number }) {
  return {
    object: "sign_in" as const,
    id: flow.id,
    status: "needs_first_factor" as const,
    supported_first_factors: [{ strategy: "oauth_atlassian" }],
    first_factor_verification: {
      status: "unverified" as const,
      strategy: "oauth_atlassian" as const,
      external_verification_redirect_url: flow.authorizeUrl,
      expire_at: flow.expiresAt,
    },
  };
}

export function signInRoutes(svc: Services) {
  return (r: Hono<InstanceEnv>) => {
    // The page only renders: starting the flow is a POST, so no state changes on GET.
    r.get("/sign-in", async (c) => {
      const instance = c.get("instance");
      const name = await applicationName(svc, instance);
      const errorParam = c.req.query("error") as ErrorCode | undefined;
      let error: { code: string; message: string } | undefined =
        errorParam && PAGE_ERRORS.includes(errorParam)
          ? { code: errorParam, message: ERRORS[errorParam].message }
          : undefined;
      const redirectUrl = c.req.query("redirect_url") ?? null;
      let action: string | undefined = `${instance.frontend_api_url}/sign-in/atlassian`;
      try {
        // Refuse a foreign redirect_url before the user clicks anything.
        if (redirectUrl && !allowedRedirectFor(instance, redirectUrl)) {
          throw new ApiError("redirect_url_not_allowed");
        }
        const client = await resolveAtlassianClient(svc, instance);
        if (!client.authenticatable) throw new ApiError("oauth_sign_in_not_allowed");
      } catch (err) {
        if (!isApiError(err)) throw err;
        error = { code: err.code, message: err.message };
        action = undefined;
      }
      // The SDK's one-click sign-in (auto=1) that cannot start goes back to the app that asked,
      // as every later failure does, instead of stopping on this page.
      const back = redirectUrl ? allowedRedirectFor(instance, redirectUrl) : undefined;
      if (c.req.query("auto") === "1" && !action && error && back) {
        const url = new URL(back);
        url.searchParams.set("foyer_error", error.code);
        c.header("Cache-Control", "no-store");
        return c.redirect(url.href, 303);
      }
      return renderPage(
        c,
        (nonce) =>
          SignInPage({
            nonce,
            applicationName: name,
            action,
            redirectUrl: action ? redirectUrl : null,
            error,
            emulated: svc.atlassian.emulated,
            autoSubmit: c.req.query("auto") === "1",
          }),
        {
          status: error?.code === "redirect_url_not_allowed" ? 400 : 200,
          formTargets: [svc.atlassian.authUrl],
        },
      );
    });

    // The hosted page's button: a form POST answered with a redirect to Atlassian.
    r.post("/sign-in/atlassian", async (c) => {
      const instance = c.get("instance");
      const body = await readBody(c, startBody, { allowForm: true });
      const redirectUrl = body.redirect_url ?? body.action_complete_redirect_url;
      try {
        const flow = await startBoundFlow(svc, c, instance, { purpose: "sign_in", redirectUrl });
        c.header("Cache-Control", "no-store");
        return c.redirect(flow.authorizeUrl, 303);
      } catch (err) {
        if (!isApiError(err)) throw err;
        // Back to the app that asked, when its redirect_url is one the instance allows.
        const back = redirectUrl ? allowedRedirectFor(instance, redirectUrl) : undefined;
        if (back) {
          const url = new URL(back);
          url.searchParams.set("foyer_error", err.code);
          return c.redirect(url.href, 303);
        }
        return c.redirect(signInPageUrl(instance, { error: err.code }), 303);
      }
    });

    // Clerk-style JSON start for SDKs: the browser then navigates to the authorize URL itself.
    r.post("/v1/client/sign_ins", async (c) => {
      const instance = c.get("instance");
      const body = await readBody(c, startBody, { allowForm: true });
      const flow = await startBoundFlow(svc, c, instance, {
        purpose: "sign_in",
        redirectUrl: body.redirect_url ?? body.action_complete_redirect_url,
      });
      c.header("Cache-Control", "no-store");
      return c.json({ response: signInJson(flow), client: null });
    });
  };
}
