import { ERRORS } from "@foyer/contract";
import type { Context, Hono } from "hono";
import type Provider from "oidc-provider";
import { oidcAccount } from "../../authorization-server/accounts.js";
import { clientDisplay } from "../../authorization-server/client-lookup.js";
import {
  approveConsent,
  consentFormToken,
  consentFormTokenValid,
  consentRequestOf,
  forgetProviderSession,
} from "../../authorization-server/consent.js";
import { instanceProvider, oauthPaths } from "../../authorization-server/provider.js";
import { resourcePolicy } from "../../authorization-server/resources.js";
import { ApiError } from "../../errors/api-error.js";
import { applicationName } from "../../instances/applications.js";
import type { Instance } from "../../instances/instances.js";
import type { Services } from "../../services.js";
import { userSummary } from "../../users/users.js";
import type { InstanceEnv } from "../auth.js";
import { ConsentPage } from "../pages/consent-page.js";
import { ErrorPage } from "../pages/error-page.js";
import { renderPage } from "../pages/render.js";
import { providerHooks } from "./oauth-server.js";
import { nodeBindings, providerRequest } from "./oauth-server-bridge.js";

/**
 * The interaction of an authorization (`<issuer>/oauth/interaction/:uid`), where oidc-provider
 * hands over to Foyer: no Foyer session on this browser → the hosted sign-in page, which comes
 * back here (a redirect to this same Frontend API, which its allowed redirects always include);
 * signed in → login is the Foyer session's user, then the consent page unless a stored grant
 * already covers the request. Approve and Deny are POST forms with a CSRF token bound to the
 * interaction and the user, behind the Frontend API's cross-site refusal (cors.ts).
 */
type Details = Awaited<ReturnType<Provider["interactionDetails"]>>;

async function interactionOf(
  svc: Services,
  c: Context<InstanceEnv>,
): Promise<{ provider: Provider; details: Details; instance: Instance }> {
  const instance = c.get("instance");
  const { incoming, outgoing } = nodeBindings(c);
  const provider = await instanceProvider(svc, instance.id, providerHooks(svc));
  if (!provider) throw new ApiError("resource_not_found");
  const uid = c.req.param("uid");
  const path = `/oauth/interaction/${uid}`;
  let details: Details;
  try {
    details = await provider.interactionDetails(
      providerRequest(incoming, instance, { method: "GET", path }),
      outgoing,
    );
  } catch (err) {
    throw new ApiError("oauth_interaction_invalid", { cause: err });
  }
  if (details.uid !== uid) throw new ApiError("oauth_interaction_invalid");
  return { provider, details, instance };
}

/** Finishes the interaction with `result` and sends the browser on to oidc-provider's resume URL. */
async function finish(
  c: Context<InstanceEnv>,
  provider: Provider,
  instance: Instance,
  result: Parameters<Provider["interactionResult"]>[2],
) {
  const { incoming, outgoing } = nodeBindings(c);
  const path = `/oauth/interaction/${c.req.param("uid")}`;
  const to = await provider.interactionResult(
    providerRequest(incoming, instance, { method: "GET", path }),
    outgoing,
    result,
    {
      mergeWithLastSubmission: true,
    },
  );
  c.header("Cache-Control", "no-store");
  return c.redirect(to, 303);
}

function refusal(c: Context, err: ApiError) {
  return renderPage(
    c,
    (nonce) => ErrorPage({ nonce, code: err.code, message: err.longMessage ?? ERRORS[err.code].message }),
    { status: err.status },
  );
}

export function oauthInteractionRoutes(svc: Services) {
  const hooks = providerHooks(svc);
  const signedIn = (c: Context<InstanceEnv>) => hooks.signedInUser(c.get("instance"), c.req.header("cookie"));

  return (r: Hono<InstanceEnv>) => {
    r.get("/oauth/interaction/:uid", async (c) => {
      let found: Awaited<ReturnType<typeof interactionOf>>;
      try {
        found = await interactionOf(svc, c);
      } catch (err) {
        if (err instanceof ApiError && err.code === "oauth_interaction_invalid") return refusal(c, err);
        throw err;
      }
      const { provider, details, instance } = found;
      const userId = await signedIn(c);
      const here = `${instance.frontend_api_url}/oauth/interaction/${details.uid}`;
      if (!userId) {
        c.header("Cache-Control", "no-store");
        return c.redirect(
          `${instance.frontend_api_url}/sign-in?redirect_url=${encodeURIComponent(here)}`,
          303,
        );
      }
      if (!(await oidcAccount(svc, instance.id, userId))) {
        return finish(c, provider, instance, {
          error: "access_denied",
          error_description: "This user may not sign in.",
        });
      }
      if (details.session?.accountId && details.session.accountId !== userId) {
        await forgetProviderSession(provider, details);
      }
      if (details.prompt.name === "login" || details.session?.accountId !== userId) {
        return finish(c, provider, instance, { login: { accountId: userId } });
      }
      const request = consentRequestOf(details);
      const [client, user, appName] = await Promise.all([
        clientDisplay(provider, request.clientId),
        userSummary(svc, instance.id, userId),
        applicationName(svc, instance),
      ]);
      const policy = request.resource
        ? resourcePolicy(instance, request.resource, request.scopes)
        : undefined;
      const base = `${oauthPaths(instance.frontend_api_url).base}/oauth/interaction/${details.uid}`;
      // Browsers apply form-action to the redirects after a submission: the answer ends at the
      // client's redirect URI, so its origin (or native scheme) is a form target of this page.
      const redirect = new URL(request.redirectUri);
      const target =
        redirect.protocol === "http:" || redirect.protocol === "https:" ? redirect.origin : redirect.protocol;
      return renderPage(
        c,
        (nonce) =>
          ConsentPage({
            nonce,
            applicationName: appName,
            clientName: client.name,
            clientHost: client.host,
            redirectUri: request.redirectUri,
            scopes: request.scopes,
            resource: policy ? { url: policy.resource, name: policy.name } : undefined,
            user: { name: user?.name ?? "you", email: user?.email ?? null },
            approveAction: `${base}/confirm`,
            denyAction: `${base}/abort`,
            formToken: consentFormToken(svc, instance.id, details.uid, userId),
          }),
        { formTargets: [target] },
      );
    });

    const decide = (approve: boolean) => async (c: Context<InstanceEnv>) => {
      const form = await c.req.parseBody();
      let found: Awaited<ReturnType<typeof interactionOf>>;
      try {
        found = await interactionOf(svc, c);
      } catch (err) {
        if (err instanceof ApiError && err.code === "oauth_interaction_invalid") return refusal(c, err);
        throw err;
      }
      const { provider, details, instance } = found;
      const userId = await signedIn(c);
      const token = typeof form.form_token === "string" ? form.form_token : undefined;
      // The user who approves is the one the page was shown to, and the session's own.
      if (
        !userId ||
        details.session?.accountId !== userId ||
        !consentFormTokenValid(svc, instance.id, details.uid, userId, token)
      ) {
        return refusal(c, new ApiError("oauth_interaction_invalid"));
      }
      if (!approve) {
        return finish(c, provider, instance, {
          error: "access_denied",
          error_description: "The user denied access.",
        });
      }
      return finish(c, provider, instance, await approveConsent(provider, details, userId));
    };
    r.post("/oauth/interaction/:uid/confirm", decide(true));
    r.post("/oauth/interaction/:uid/abort", decide(false));
  };
}
