import { resolveAtlassianClient } from "../connections/atlassian-connection.js";
import { randomToken } from "../crypto/random.js";
import { ApiError } from "../errors/api-error.js";
import { atlassianAccountsOf } from "../external-accounts/atlassian-accounts.js";
import { allowedRedirectFor, type Instance } from "../instances/instances.js";
import { buildAuthorizeUrl } from "../providers/atlassian/authorize-url.js";
import { isValidScope, normaliseScopes, parseScopeString } from "../providers/atlassian/scopes.js";
import type { Services } from "../services.js";
import { createTransaction } from "./transactions.js";

export interface StartInput {
  purpose: "sign_in" | "connect";
  redirectUrl: string | undefined;
  additionalScopes?: string[];
  /** connect: the signed-in user and the live session that asked. */
  userId?: string;
  sessionId?: string;
  /**
   * connect: the user's external account (eac_…) this consent is for (Reconnect, Grant more
   * access): the callback refuses a consent Atlassian gave for another account.
   */
  externalAccountId?: string;
  /** sign_in: users this browser signed in as before, whose Atlassian scopes are kept. */
  knownUserIds?: string[];
}

export interface StartedFlow {
  id: string;
  authorizeUrl: string;
  expiresAt: number;
  /**
   * The caller sets this as the transaction's own binding cookie. The value is always fresh:
   * one the browser already held (perhaps planted by a sibling subdomain) is never adopted.
   */
  browserBinding: { value: string; transaction: { id: string; redirectUri: string } };
}

/**
 * Starts "Sign in with Atlassian" (or connect / reauthorize): checks everything that can be
 * checked up front (connection on, redirect_url allowed, scopes well-formed), records the
 * transaction and returns the Atlassian authorize URL.
 */
export async function startAtlassianFlow(
  svc: Services,
  instance: Instance,
  input: StartInput,
): Promise<StartedFlow> {
  const client = await resolveAtlassianClient(svc, instance);
  if (input.purpose === "sign_in" && !client.authenticatable) throw new ApiError("oauth_sign_in_not_allowed");

  let redirectUrl: string | null = null;
  if (input.redirectUrl) {
    redirectUrl = allowedRedirectFor(instance, input.redirectUrl) ?? null;
    if (!redirectUrl)
      throw new ApiError("redirect_url_not_allowed", { meta: { param_name: "redirect_url" } });
  }
  for (const scope of input.additionalScopes ?? []) {
    if (!isValidScope(scope))
      throw new ApiError("atlassian_scope_invalid", { meta: { param_name: "additional_scopes" } });
  }
  // Atlassian replaces a grant's scopes at each consent: ask for everything the account already
  // holds as well, or this consent (even a plain sign-in) takes away what an earlier one granted.
  // A connect for one account asks for what that account holds, not its siblings' scopes too.
  const holders = input.userId ? [input.userId] : (input.knownUserIds ?? []);
  const target = input.purpose === "connect" ? input.externalAccountId : undefined;
  const scopes = normaliseScopes([
    ...client.scopes,
    ...(await heldScopes(svc, instance, holders, target)),
    ...(input.additionalScopes ?? []),
  ]);

  const binding = randomToken(32);
  const tx = await createTransaction(svc, {
    instanceId: instance.id,
    purpose: input.purpose,
    browserBinding: binding,
    redirectUrl,
    scopes,
    redirectUri: client.redirectUri,
    userId: input.userId,
    sessionId: input.sessionId,
    connectTarget: input.purpose === "connect" ? input.externalAccountId : undefined,
  });
  const authorizeUrl = buildAuthorizeUrl(svc.atlassian, {
    clientId: client.clientId,
    scopes,
    redirectUri: client.redirectUri,
    state: tx.state,
    codeChallenge: tx.codeChallenge,
  });
  return {
    id: tx.row.id,
    authorizeUrl,
    expiresAt: tx.row.expires_at,
    browserBinding: { value: binding, transaction: { id: tx.row.id, redirectUri: client.redirectUri } },
  };
}

/** The scopes these users' Atlassian accounts (or only the one named) hold now, valid ones only. */
async function heldScopes(
  svc: Services,
  instance: Instance,
  userIds: readonly string[],
  onlyAccountId?: string,
): Promise<string[]> {
  if (userIds.length === 0) return [];
  const accounts = await atlassianAccountsOf(svc, instance.id, userIds);
  return accounts
    .filter((a) => onlyAccountId === undefined || a.row.id === onlyAccountId)
    .flatMap((a) => parseScopeString(a.row.approved_scopes))
    .filter(isValidScope);
}
