/**
 * An OAuth client and a browser for tests of an instance's authorization server, over real HTTP
 * (the AS answers on a listening Foyer only): PKCE, a client registered through the Platform
 * API, and the walk through authorize → sign-in/consent interaction → redirect back, with the
 * consent page's own form posted the way a browser posts it.
 */
import { createHash, randomBytes } from "node:crypto";
import { CLIENT_COOKIE } from "@foyer/contract";
import { CookieJar } from "./emulated-foyer.js";
import type { TestFoyer } from "./harness.js";
import type { TestInstance } from "./instances.js";

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export interface RegisteredClient {
  client_id: string;
  client_secret?: string;
  redirect_uris: string[];
}

export async function registerOAuthApplication(
  foyer: TestFoyer,
  instanceId: string,
  body: { name?: string; redirect_uris?: string[]; public?: boolean; scopes?: string } = {},
): Promise<RegisteredClient> {
  const res = await foyer.platform(`/instances/${instanceId}/oauth_applications`, {
    method: "POST",
    json: {
      name: body.name ?? "Test client",
      redirect_uris: body.redirect_uris ?? ["http://127.0.0.1:9/cb"],
      ...body,
    },
  });
  if (res.status !== 201) throw new Error(`client not created: ${res.status} ${await res.text()}`);
  return res.json();
}

/** A browser signed in to Foyer for `instance` (the client cookie set), with a jar for the AS's cookies. */
export function signedInBrowser(instance: TestInstance, clientToken: string | undefined): CookieJar {
  const jar = new CookieJar();
  if (clientToken) jar.set(CLIENT_COOKIE, clientToken, instance.fapiPath);
  return jar;
}

export async function browserFetch(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const cookie = jar.header(url);
  if (cookie) headers.set("cookie", cookie);
  const res = await fetch(url, { ...init, headers, redirect: "manual" });
  jar.store(res);
  return res;
}

export interface AuthorizeOutcome {
  /** The redirect to the client's redirect URI (code, state, iss), when the flow got there. */
  callback: URL | undefined;
  /** Consent pages shown on the way. */
  consentPages: string[];
  /** The last answer, when the flow stopped elsewhere (an error page, the sign-in page). */
  last: Response;
  lastBody: string;
}

/**
 * Opens `authorizeUrl` and follows Foyer's redirects like a browser; a consent page is answered
 * with `decision` (its form posted from Foyer's origin; `stop` leaves it unanswered). Stops at
 * the client's redirect URI.
 */
export async function authorize(
  jar: CookieJar,
  authorizeUrl: string,
  redirectUri: string,
  decision: "approve" | "deny" | "stop" = "approve",
): Promise<AuthorizeOutcome> {
  const consentPages: string[] = [];
  let url = authorizeUrl;
  let init: RequestInit = {};
  for (let hop = 0; hop < 15; hop++) {
    const res = await browserFetch(jar, url, init);
    init = {};
    const location = res.headers.get("location");
    if (res.status >= 300 && res.status < 400 && location) {
      const next = new URL(location, url);
      if (next.href.startsWith(redirectUri)) return { callback: next, consentPages, last: res, lastBody: "" };
      url = next.href;
      continue;
    }
    const body = await res.text();
    const action = new RegExp(`action="([^"]*/${decision === "approve" ? "confirm" : "abort"})"`).exec(body);
    const token = /name="form_token" value="([^"]+)"/.exec(body);
    if (res.status !== 200 || !token || consentPages.length > 3) {
      return { callback: undefined, consentPages, last: res, lastBody: body };
    }
    consentPages.push(body);
    if (decision === "stop" || !action)
      return { callback: undefined, consentPages, last: res, lastBody: body };
    url = new URL(action[1]!, url).href;
    init = {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: new URL(url).origin },
      body: new URLSearchParams({ form_token: token[1]! }).toString(),
    };
  }
  throw new Error("too many redirects");
}

export function authorizeUrlFor(issuer: string, params: Record<string, string | undefined>): string {
  const url = new URL(`${issuer}/oauth/authorize`);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.href;
}

/** POSTs a form to the token endpoint (client_secret_basic when a secret is given). */
export async function tokenRequest(
  issuer: string,
  client: { client_id: string; client_secret?: string },
  params: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  const form = new URLSearchParams(params);
  if (client.client_secret) {
    const basic = `${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret)}`;
    headers.authorization = `Basic ${Buffer.from(basic).toString("base64")}`;
  } else form.set("client_id", client.client_id);
  const res = await fetch(`${issuer}/oauth/token`, { method: "POST", headers, body: form.toString() });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export interface CodeFlowResult {
  client: RegisteredClient;
  verifier: string;
  outcome: AuthorizeOutcome;
  jar: CookieJar;
}

/** A registered client (or a fresh one) walks authorize → consent → callback for a signed-in browser. */
export async function codeFlow(
  foyer: TestFoyer,
  t: TestInstance,
  opts: {
    client?: RegisteredClient;
    jar?: CookieJar;
    clientToken?: string;
    scope?: string;
    resource?: string;
    decision?: "approve" | "deny" | "stop";
  } = {},
): Promise<CodeFlowResult> {
  const client =
    opts.client ??
    (await registerOAuthApplication(foyer, t.id, { redirect_uris: ["http://127.0.0.1:9/cb"] }));
  const jar = opts.jar ?? signedInBrowser(t, opts.clientToken);
  const { verifier, challenge } = pkcePair();
  const outcome = await authorize(
    jar,
    authorizeUrlFor(t.instance.frontend_api_url, {
      client_id: client.client_id,
      redirect_uri: client.redirect_uris[0],
      response_type: "code",
      scope: opts.scope ?? "openid profile",
      resource: opts.resource,
      state: "st-1",
      code_challenge: challenge,
      code_challenge_method: "S256",
    }),
    client.redirect_uris[0]!,
    opts.decision,
  );
  return { client, verifier, outcome, jar };
}

/** Exchanges the flow's code at the token endpoint. */
export async function exchangeCode(t: TestInstance, flow: CodeFlowResult) {
  const code = flow.outcome.callback?.searchParams.get("code");
  if (!code) throw new Error(`no code: ${flow.outcome.last.status} ${flow.outcome.lastBody.slice(0, 300)}`);
  return tokenRequest(t.instance.frontend_api_url, flow.client, {
    grant_type: "authorization_code",
    code,
    redirect_uri: flow.client.redirect_uris[0]!,
    code_verifier: flow.verifier,
  });
}
