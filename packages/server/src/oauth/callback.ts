import type { ErrorCode } from "@foyer/contract";
import { type AtlassianClient, resolveAtlassianClient } from "../connections/atlassian-connection.js";
import { clearConnectionError, recordConnectionError } from "../connections/connection-errors.js";
import { isDatabaseUnavailable } from "../db/database-fault.js";
import { ApiError } from "../errors/api-error.js";
import { recordSecurityEvent } from "../events/security-events.js";
import { atlassianAccountsOf } from "../external-accounts/atlassian-accounts.js";
import { atlassianAccountIdOf } from "../external-accounts/connect-target.js";
import { sitesKnownForAtlassianAccount } from "../external-accounts/known-sites.js";
import { allowedSites } from "../instances/allowed-atlassian-sites.js";
import { allowedRedirectFor, getInstance, type Instance } from "../instances/instances.js";
import { pickedSiteOrganization } from "../organizations/site-organizations.js";
import { fetchAccessibleResources } from "../providers/atlassian/accessible-resources.js";
import { fetchProfile } from "../providers/atlassian/profile.js";
import { isSiteBound } from "../providers/atlassian/scopes.js";
import { tokenApiError } from "../providers/atlassian/token-api-error.js";
import {
  type AtlassianTokens,
  authorizationCodeRequest,
  processAuthorizationCodeResponse,
} from "../providers/atlassian/token-endpoint.js";
import { AtlassianTokenError } from "../providers/atlassian/token-error.js";
import type { Services } from "../services.js";
import { summariseUserAgent } from "../sessions/device.js";
import { findSession } from "../sessions/list-sessions.js";
import { sessionIsLive } from "../sessions/session-status.js";
import { activateSiteOrganization, startSession } from "../sessions/sessions.js";
import { connectAtlassian, signInWithAtlassian } from "../users/atlassian-user.js";
import { startAtlassianFlow } from "./start.js";
import { connectTargetOf, consumeTransaction, finishTransaction, type StateRefusal } from "./transactions.js";

/** Where the hosted pages live for an instance. */
export function signInPageUrl(
  instance: Instance,
  params: Record<string, string | null | undefined> = {},
): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const qs = q.toString();
  return `${instance.frontend_api_url}/sign-in${qs ? `?${qs}` : ""}`;
}

export function afterSignInUrl(instance: Instance, redirectUrl: string | null): string {
  return redirectUrl ?? instance.after_sign_in_url ?? `${instance.frontend_api_url}/signed-in`;
}

/** `url` with `foyer_error=<code>` added: what an app reads to say what went wrong. */
function withFoyerError(url: string, code: ErrorCode): string {
  const u = new URL(url);
  u.searchParams.set("foyer_error", code);
  return u.href;
}

/**
 * Linking an Atlassian account the user does not have yet gives whoever holds the session a
 * second way into the account, so it needs a recent sign-in (Clerk's re-verification): the
 * session must have started within the instance's `reverification_max_age_seconds`. A browser
 * left signed in cannot be used to attach someone else's Atlassian account. Reconnecting an
 * account the user already has adds no way in, and never needs it.
 */
async function needsReverification(
  svc: Services,
  instance: Instance,
  session: { user_id: string; created_at: number },
  accountId: string,
): Promise<boolean> {
  const accounts = await atlassianAccountsOf(svc, instance.id, [session.user_id]);
  if (accounts.some((a) => a.row.provider_user_id === accountId)) return false;
  return svc.now() - session.created_at > instance.reverification_max_age_seconds * 1000;
}

/**
 * The code exchange, its failures as the service's error codes. A refused Client ID/Secret is the
 * operator's to fix, so it is logged as such here; the user only learns that sign-in cannot work.
 */
async function exchangeCode(
  svc: Services,
  instance: Instance,
  client: AtlassianClient,
  params: { code: string; redirectUri: string; codeVerifier: string },
): Promise<AtlassianTokens> {
  let tokens: AtlassianTokens;
  try {
    const response = await authorizationCodeRequest(svc.atlassian, client, params);
    tokens = await processAuthorizationCodeResponse(svc.atlassian, client, response, () => svc.now());
  } catch (err) {
    if (!(err instanceof AtlassianTokenError)) throw err;
    if (err.kind === "invalid_client") {
      svc.log.error(
        { phase: err.phase, status: err.status, error: err.oauthError },
        "Atlassian refused the Client ID or Client Secret: fix the Atlassian connection settings",
      );
    }
    // Kept on the connection for the operator; the deployment's shared credentials are not theirs to fix there.
    const fault =
      err.kind === "invalid_client"
        ? "invalid_client"
        : err.kind === "grant_dead"
          ? "code_rejected"
          : undefined;
    if (fault && client.custom) {
      await recordConnectionError(svc, instance.id, {
        code: fault,
        step: "code_exchange",
        atlassianError: err.oauthError,
      });
    }
    throw tokenApiError(err);
  }
  await clearConnectionError(svc, instance.id);
  return tokens;
}

/** A transaction as its binding cookie is named: its id, and the callback it returns to. */
export interface BoundTransaction {
  id: string;
  redirectUri: string;
}

/** The value of the binding cookie the browser sent for one transaction, if any. */
export type BindingOf = (transaction: BoundTransaction) => string | undefined;

/** What the callback needs from the browser's request. */
export interface CallbackRequest {
  /** The callback URL's query: `state`, and `code` or `error`. */
  query: URLSearchParams;
  /** Reads the browser-binding cookie of the transaction the state names. */
  bindingOf: BindingOf;
  /** The client's address, for security events. */
  clientIp?: string;
  /** The browser's User-Agent: only its summary is kept, on the session it starts. */
  userAgent?: string;
}

/** Where to send the browser, and on a completed sign-in the new client to set as its cookie. */
export interface CallbackOutcome {
  location: string;
  signedIn?: { instance: Instance; clientToken: string };
  /** Set when the outcome starts another consent: the binding cookie for its callback. */
  browserBinding?: { value: string; transaction: BoundTransaction };
}

/**
 * Handles Atlassian's redirect back. The transaction (and with it the instance) comes from the
 * state alone, checked against the browser binding and consumed before anything is sent to
 * Atlassian. Every outcome is a redirect that drops `code` and `state` from the address bar:
 * to the app on success, to the hosted sign-in page (or the app, for connect) with an error code
 * otherwise. Nothing is created unless every check passed.
 */
export async function completeCallback(
  svc: Services,
  request: CallbackRequest,
  expectedInstanceId?: string,
): Promise<CallbackOutcome> {
  const params = request.query;
  let tx: Awaited<ReturnType<typeof consumeTransaction>>;
  try {
    tx = await consumeTransaction(
      svc,
      params.get("state") ?? undefined,
      request.bindingOf,
      expectedInstanceId,
    );
  } catch (err) {
    const refusal = err instanceof ApiError ? (err.cause as StateRefusal | undefined) : undefined;
    if (refusal?.securityEvent) {
      await recordSecurityEvent(svc, {
        kind: refusal.securityEvent,
        instanceId: refusal.instanceId,
        clientIp: request.clientIp,
      });
    }
    // A transaction that merely ran out of time knows its app: back there, not a dead end.
    // Only a redirect_url the instance still allows, and nothing else of the transaction is used.
    if (refusal?.expired && refusal.instanceId) {
      const instance = await getInstance(svc, refusal.instanceId);
      const back = allowedRedirectFor(instance, refusal.expired.redirectUrl);
      if (back) return { location: withFoyerError(back, "oauth_state_expired") };
    }
    throw err;
  }
  const instance = await getInstance(svc, tx.instance_id);

  const fail = async (code: ErrorCode): Promise<CallbackOutcome> => {
    if (code === "user_banned" || code === "user_locked") {
      await recordSecurityEvent(svc, {
        kind: "stopped_user_sign_in",
        instanceId: instance.id,
        clientIp: request.clientIp,
      });
    }
    await finishTransaction(svc, tx.id, { status: "failed", errorCode: code });
    // Back to the app that started it (its redirect_url, still allowed), with the code for it
    // to put into words; connect always returns to the app; a bare sign-in to the hosted page.
    const back = tx.redirect_url ? allowedRedirectFor(instance, tx.redirect_url) : undefined;
    if (back || tx.purpose === "connect") {
      return { location: withFoyerError(back ?? afterSignInUrl(instance, null), code) };
    }
    return { location: signInPageUrl(instance, { error: code }) };
  };

  try {
    const error = params.get("error");
    if (error === "access_denied") return await fail("oauth_access_denied");
    if (error) {
      // Not the user's Cancel: something about the app (a scope it lacks, its distribution).
      await recordConnectionError(svc, instance.id, {
        code: "authorize_error",
        step: "authorize",
        atlassianError: error,
      });
      return await fail("oauth_provider_error");
    }
    const code = params.get("code");
    if (!code || code.length > 4096) return await fail("oauth_provider_error");

    const client = await resolveAtlassianClient(svc, instance);
    if (tx.purpose === "sign_in" && !client.authenticatable) return await fail("oauth_sign_in_not_allowed");

    const tokens = await exchangeCode(svc, instance, client, {
      code,
      redirectUri: tx.redirect_uri,
      codeVerifier: tx.codeVerifier,
    });
    const [profile, sites] = await Promise.all([
      fetchProfile(svc.atlassian, tokens.accessToken),
      fetchAccessibleResources(svc.atlassian, tokens.accessToken),
    ]);
    // Atlassian always names both: a missing status is not taken as "active", and only people
    // (account_type "atlassian", not "app" or "customer" accounts) sign in.
    if (profile.accountStatus !== "active") return await fail("atlassian_account_inactive");
    if (profile.accountType !== "atlassian") return await fail("atlassian_account_not_supported");
    if (profile.adjusted.length > 0) {
      svc.log.warn(
        { instance_id: instance.id, account_id: profile.accountId, adjusted: profile.adjusted },
        "Atlassian profile values were too long or unsafe: cut or dropped",
      );
    }
    const requestedScopes = tx.scopes.split(" ").filter(Boolean);
    if (sites.length === 0 && requestedScopes.some(isSiteBound)) return await fail("atlassian_site_required");
    // Before anything is written: a grant for none of the instance's sites creates no user,
    // no external account and no session (and adds no account to a signed-in user).
    const allowList = instance.allowed_atlassian_sites;
    if (allowList.length > 0 && allowedSites(allowList, sites).length === 0) {
      return await fail("atlassian_site_not_allowed");
    }
    const knownSites = await sitesKnownForAtlassianAccount(svc, profile.accountId, client.clientId);
    const grant = { profile, sites, tokens, requestedScopes, knownSites };

    if (tx.purpose === "connect") {
      const session = tx.session_id ? await findSession(svc, instance, tx.session_id) : undefined;
      if (!session || session.user_id !== tx.user_id || !sessionIsLive(session, instance, svc.now())) {
        return await fail("session_inactive");
      }
      // A button of one account came back with another (Atlassian's consent cannot be pinned).
      const target = connectTargetOf(params.get("state")!);
      if (
        target &&
        (await atlassianAccountIdOf(svc, instance.id, session.user_id, target)) !== profile.accountId
      ) {
        return await fail("external_account_mismatch");
      }
      if (await needsReverification(svc, instance, session, profile.accountId)) {
        return await fail("reverification_required");
      }
      await connectAtlassian(svc, instance, session.user_id, grant);
      await activateSiteOrganization(svc, instance, session.id, session.user_id, profile.accountId);
      await finishTransaction(svc, tx.id, { status: "complete", sessionId: session.id });
      return { location: afterSignInUrl(instance, tx.redirect_url) };
    }

    const { userId, lostScopes } = await signInWithAtlassian(svc, instance, grant);
    // The site the user just picked is the session's active organization (site organizations).
    const activeOrganizationId = await pickedSiteOrganization(
      svc.db.kysely,
      instance,
      userId,
      profile.accountId,
    );
    const { clientToken, session } = await startSession(
      svc,
      instance,
      userId,
      summariseUserAgent(request.userAgent),
      { activeOrganizationId },
    );
    await finishTransaction(svc, tx.id, { status: "complete", sessionId: session.id });
    const signedIn = { instance, clientToken };
    if (lostScopes.length > 0) {
      // This consent narrowed the grant (Atlassian replaces scopes; the browser was not one Foyer
      // knew, so the sign-in could not ask for the union). The user is signed in; one more
      // consent, for everything the account held, gives the app back what it had.
      svc.log.info(
        { instance_id: instance.id, lost_scopes: lostScopes },
        "a sign-in narrowed the Atlassian grant; asking the user to consent to its scopes again",
      );
      const flow = await startAtlassianFlow(svc, instance, {
        purpose: "connect",
        redirectUrl: tx.redirect_url ?? undefined,
        additionalScopes: lostScopes,
        userId,
        sessionId: session.id,
      });
      return { location: flow.authorizeUrl, signedIn, browserBinding: flow.browserBinding };
    }
    return { location: afterSignInUrl(instance, tx.redirect_url), signedIn };
  } catch (err) {
    if (err instanceof ApiError) {
      if (err.status >= 500)
        svc.log.warn({ code: err.code, cause: String(err.cause ?? "") }, "Atlassian callback failed");
      return await fail(err.code);
    }
    if (isDatabaseUnavailable(err)) return await fail("database_unavailable");
    svc.log.error({ err }, "Atlassian callback failed unexpectedly");
    return await fail("internal_error");
  }
}
