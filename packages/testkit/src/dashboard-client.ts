/**
 * A request-level dashboard client for tests: signs in like a browser (sign-in form, cookies,
 * CSRF token from the page) and posts forms from the dashboard's own origin.
 */
import { prefixedCookieName } from "@foyer/contract";
import { randomToken } from "../../server/src/crypto/random.js";
import type { TestFoyer } from "./harness.js";

export interface DashboardClient {
  cookie: string;
  csrf: string;
  origin: string;
  get(path: string): Promise<Response>;
  /** GET and return the body, failing unless the status is `status`. */
  html(path: string, status?: number): Promise<string>;
  post(path: string, fields?: Record<string, string | string[]>, opts?: PostOptions): Promise<Response>;
}

export interface PostOptions {
  /** Leave out the CSRF field, or send this value instead. */
  csrf?: string | null;
  origin?: string | null;
  headers?: Record<string, string>;
}

export function formBody(fields: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) params.append(k, one);
  return params.toString();
}

/** The value of a cookie set by a response, or undefined. */
export function setCookieValue(res: Response, name: string): string | undefined {
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const [k, ...v] = pair!.split("=");
    if (k?.trim() === name) return v.join("=");
  }
  return undefined;
}

export function setCookieLine(res: Response, name: string): string | undefined {
  return res.headers.getSetCookie().find((l) => l.startsWith(`${name}=`));
}

export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error("no CSRF field on the page");
  return m[1]!;
}

/** Undoes hono/jsx's escaping, to compare page text with an API message. */
export function unescapeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

export function publicOrigin(foyer: TestFoyer): string {
  return new URL(foyer.svc.config.publicUrl).origin;
}

/** A dashboard cookie's name as this Foyer spells it (`__Secure-` on https). */
export function dashboardCookieName(foyer: TestFoyer, name: string): string {
  const https = new URL(foyer.svc.config.publicUrl).protocol === "https:";
  return prefixedCookieName(name, { https, path: "/dashboard" });
}

/** GET the sign-in form: its CSRF value and the cookie that pairs with it. */
export async function openSignInForm(foyer: TestFoyer): Promise<{ formToken: string; cookie: string }> {
  const res = await foyer.request(`${foyer.svc.config.publicUrl}/dashboard/sign-in`);
  const name = dashboardCookieName(foyer, "foyer_dashboard_sign_in");
  const formCookie = setCookieValue(res, name);
  if (!formCookie) throw new Error("no sign-in cookie");
  return { formToken: csrfFrom(await res.text()), cookie: `${name}=${formCookie}` };
}

export async function signInToDashboard(
  foyer: TestFoyer,
  token = foyer.platformToken,
): Promise<DashboardClient> {
  const base = foyer.svc.config.publicUrl;
  const origin = publicOrigin(foyer);
  const form = await openSignInForm(foyer);
  const res = await foyer.request(`${base}/dashboard/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: form.cookie, origin },
    body: formBody({ _csrf: form.formToken, platform_token: token }),
  });
  const name = dashboardCookieName(foyer, "foyer_dashboard");
  const session = setCookieValue(res, name);
  if (res.status !== 303 || !session) throw new Error(`dashboard sign-in failed: ${res.status}`);
  return clientFor(foyer, `${name}=${session}`);
}

/** A client for an existing session cookie (e.g. on a second Foyer process). */
export async function clientFor(foyer: TestFoyer, cookie: string): Promise<DashboardClient> {
  const base = foyer.svc.config.publicUrl;
  const origin = publicOrigin(foyer);
  const get = (path: string) => foyer.request(`${base}${path}`, { headers: { cookie } });
  const page = await get("/dashboard");
  const csrf = page.status === 200 ? csrfFrom(await page.text()) : `not-signed-in-${randomToken(8)}`;
  return {
    cookie,
    csrf,
    origin,
    get,
    async html(path, status = 200) {
      const res = await get(path);
      const text = await res.text();
      if (res.status !== status)
        throw new Error(`GET ${path}: ${res.status}, wanted ${status}\n${text.slice(0, 2000)}`);
      return text;
    },
    post(path, fields = {}, opts = {}) {
      const headers: Record<string, string> = {
        "content-type": "application/x-www-form-urlencoded",
        cookie,
        ...opts.headers,
      };
      if (opts.origin !== null) headers.origin = opts.origin ?? origin;
      const body = opts.csrf === null ? fields : { _csrf: opts.csrf ?? csrf, ...fields };
      return foyer.request(`${base}${path}`, { method: "POST", headers, body: formBody(body) });
    },
  };
}
