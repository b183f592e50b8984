/**
 * Shared test set-up: the demo seed plus one app, and an oauth4webapi client pointed at the
 * emulator exactly as Foyer points at Atlassian.
 */
import * as oauth from "oauth4webapi";
import { DEMO_IDS, demoSeed } from "../../atlassian-emulator/src/demo-seed.js";
import { startAtlassianEmulator } from "../../atlassian-emulator/src/server.js";
import type { EmulatorApp, EmulatorSettings, RunningEmulator } from "../../atlassian-emulator/src/types.js";

export { DEMO_IDS };

export const APP: EmulatorApp = {
  clientId: "foyer-test-client",
  clientSecret: "test-secret-value",
  name: "Foyer Test App",
  callbackUrl: "http://localhost:4000/v1/oauth_callback",
  scopes: [
    "read:me",
    "read:account",
    "read:jira-user",
    "read:jira-work",
    "read:space:confluence",
    "read:page:confluence",
    "read:confluence-space.summary",
    "read:confluence-content.summary",
    "search:confluence",
  ],
  shared: true,
};

export const FULL_SCOPE = "read:me read:jira-work read:jira-user offline_access";

export async function startTestEmulator(settings: Partial<EmulatorSettings> = {}): Promise<RunningEmulator> {
  const seed = demoSeed();
  seed.apps = [APP];
  return startAtlassianEmulator({ seed, settings, quiet: true });
}

export function oauthClient(running: RunningEmulator) {
  const as: oauth.AuthorizationServer = {
    issuer: running.authUrl,
    authorization_endpoint: `${running.authUrl}/authorize`,
    token_endpoint: `${running.authUrl}/oauth/token`,
  };
  const client: oauth.Client = { client_id: APP.clientId };
  return { as, client, options: { [oauth.allowInsecureRequests]: true } as const };
}

export function authorizeUrl(running: RunningEmulator, params: Record<string, string | undefined> = {}): URL {
  const url = new URL(`${running.authUrl}/authorize`);
  const all: Record<string, string | undefined> = {
    audience: "api.atlassian.com",
    client_id: APP.clientId,
    scope: FULL_SCOPE,
    redirect_uri: APP.callbackUrl,
    state: "state-123",
    response_type: "code",
    prompt: "consent",
    ...params,
  };
  for (const [k, v] of Object.entries(all)) if (v !== undefined) url.searchParams.set(k, v);
  return url;
}

/** GET /authorize without following the redirect, as a browser's first hop. */
export function fetchAuthorize(url: URL): Promise<Response> {
  return fetch(url, { redirect: "manual" });
}

export interface SignInOptions {
  accountId?: string;
  cloudId?: string;
  scope?: string;
  clientAuth?: oauth.ClientAuth;
  /** More /authorize parameters; `undefined` leaves one out (e.g. `{ audience: undefined }`). */
  authorize?: Record<string, string | undefined>;
}

/** A whole sign-in: queued consent, authorize redirect, code exchange through oauth4webapi. */
export async function signIn(
  running: RunningEmulator,
  opts: SignInOptions = {},
): Promise<oauth.TokenEndpointResponse> {
  const { as, client, options } = oauthClient(running);
  running.control.queueConsent({ accountId: opts.accountId ?? DEMO_IDS.ada, cloudId: opts.cloudId });
  const res = await fetchAuthorize(
    authorizeUrl(running, { scope: opts.scope ?? FULL_SCOPE, ...opts.authorize }),
  );
  if (res.status !== 302) throw new Error(`authorize answered ${res.status}`);
  const params = oauth.validateAuthResponse(as, client, new URL(res.headers.get("location")!), "state-123");
  const tokenRes = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    opts.clientAuth ?? oauth.ClientSecretPost(APP.clientSecret),
    params,
    APP.callbackUrl,
    oauth.nopkce,
    options,
  );
  return oauth.processAuthorizationCodeResponse(as, client, tokenRes);
}

export async function refreshWith(
  running: RunningEmulator,
  refreshToken: string,
): Promise<oauth.TokenEndpointResponse> {
  const { as, client, options } = oauthClient(running);
  const res = await oauth.refreshTokenGrantRequest(
    as,
    client,
    oauth.ClientSecretPost(APP.clientSecret),
    refreshToken,
    options,
  );
  return oauth.processRefreshTokenResponse(as, client, res);
}

/** Raw token endpoint POST, for bodies oauth4webapi would never send. */
export function postToken(
  running: RunningEmulator,
  body: Record<string, string>,
  json = false,
  headers: Record<string, string> = {},
) {
  return fetch(`${running.authUrl}/oauth/token`, {
    method: "POST",
    headers: { "Content-Type": json ? "application/json" : "application/x-www-form-urlencoded", ...headers },
    body: json ? JSON.stringify(body) : new URLSearchParams(body),
  });
}

export function bearer(running: RunningEmulator, path: string, token: string): Promise<Response> {
  return fetch(`${running.apiUrl}${path}`, {
    headers: { Authorization: `Bearer ${token}`, Accept: "application/json" },
  });
}

/** Gets a code via queued consent without exchanging it. */
export async function codeFor(
  running: RunningEmulator,
  accountId = DEMO_IDS.ada,
  params: Record<string, string> = {},
) {
  running.control.queueConsent({ accountId });
  const res = await fetchAuthorize(authorizeUrl(running, params));
  const location = new URL(res.headers.get("location")!);
  return location.searchParams.get("code")!;
}
