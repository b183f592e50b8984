/**
 * What happens once we know who is consenting: the account-dependent checks (private app,
 * site access) and the redirect back to the app with a code or with access_denied.
 */
import { recordConsent } from "../grants.js";
import { randomToken } from "../random.js";
import { requiredProducts } from "../scopes.js";
import { type AuthorizationRequest, type EmulatorState, now } from "../state.js";
import type { EmulatorAccount, EmulatorApp, EmulatorSite } from "../types.js";
import { type AuthorizeProblem, problems } from "./problems.js";
import { siteBoundScopes } from "./request.js";

/** Sites the account could grant for this request; [] when the request needs no site. */
export function candidateSites(
  state: EmulatorState,
  account: EmulatorAccount,
  request: AuthorizationRequest,
): EmulatorSite[] {
  if (siteBoundScopes(request).length === 0) return [];
  const products = requiredProducts(request.scopes);
  return account.siteIds
    .map((id) => state.sites.get(id))
    .filter((site): site is EmulatorSite => site !== undefined)
    .filter((site) => products.length === 0 || products.some((p) => site.products.includes(p)));
}

/** The checks Atlassian makes after the user is known; undefined when consent may be shown. */
export function accountProblem(
  state: EmulatorState,
  app: EmulatorApp,
  account: EmulatorAccount,
  request: AuthorizationRequest,
): AuthorizeProblem | undefined {
  if (!app.shared && app.ownerAccountId !== account.accountId) return problems.privateApp();
  const siteBound = siteBoundScopes(request);
  if (siteBound.length > 0 && candidateSites(state, account, request).length === 0) {
    // Atlassian's text names every API asked for, identity included.
    return problems.noAccessibleSite(request.scopes.filter((s) => s !== "offline_access"));
  }
  return undefined;
}

/**
 * The cloudIds an accepted consent covers. Resource-level apps: exactly the one chosen site.
 * Account-level apps: every site the account can grant, no picker.
 */
export function chooseSites(
  state: EmulatorState,
  app: EmulatorApp,
  account: EmulatorAccount,
  request: AuthorizationRequest,
  cloudId: string | undefined,
): { ok: true; cloudIds: string[] } | { ok: false; problem: AuthorizeProblem } {
  const candidates = candidateSites(state, account, request);
  if (candidates.length === 0) return { ok: true, cloudIds: [] };
  if ((app.accessType ?? "resource") === "account")
    return { ok: true, cloudIds: candidates.map((s) => s.cloudId) };
  if (cloudId === undefined) return { ok: true, cloudIds: [candidates[0]!.cloudId] };
  if (!candidates.some((s) => s.cloudId === cloudId))
    return { ok: false, problem: problems.siteNotAvailable() };
  return { ok: true, cloudIds: [cloudId] };
}

/** Accept: record the consent on the grant, mint a single-use code, send the browser back. */
export function acceptedRedirect(
  state: EmulatorState,
  request: AuthorizationRequest,
  accountId: string,
  cloudIds: string[],
): string {
  recordConsent(state, { clientId: request.clientId, accountId, scopes: request.scopes, cloudIds });
  const code = randomToken();
  state.codes.set(code, {
    clientId: request.clientId,
    accountId,
    redirectUri: request.redirectUri,
    scopes: request.scopes,
    audience: request.audience,
    codeChallenge: request.codeChallenge,
    codeChallengeMethod: request.codeChallengeMethod,
    expiresAt: now(state) + state.settings.codeTtlSeconds * 1000,
  });
  state.counters.authorizations += 1;
  return withQuery(request.redirectUri, [
    ["code", code],
    ["state", request.state],
  ]);
}

/** Cancel: the exact error Atlassian's consent server sends back. */
export function declinedRedirect(request: AuthorizationRequest): string {
  return withQuery(request.redirectUri, [
    ["error", "access_denied"],
    ["error_description", "User did not authorize the request"],
    ["state", request.state],
  ]);
}

/**
 * Appends parameters with encodeURIComponent (spaces as %20, as Atlassian sends them; URLSearchParams
 * would write `+`). Parameters without a value (no state sent) are left out.
 */
function withQuery(base: string, params: [string, string | undefined][]): string {
  const [beforeHash] = base.split("#", 1) as [string];
  const query = params
    .filter((p): p is [string, string] => p[1] !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join("&");
  return beforeHash + (beforeHash.includes("?") ? "&" : "?") + query;
}
