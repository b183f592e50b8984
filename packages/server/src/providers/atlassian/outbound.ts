import * as oauth from "oauth4webapi";
import { ApiError } from "../../errors/api-error.js";
import type { AtlassianSettings } from "../../services.js";

/**
 * Options for every outbound call to Atlassian: a hard timeout (a slow Atlassian must not hang a
 * user's request or pile up connections) and no redirect following (a token endpoint that
 * redirects is answering nonsense, and following it could leak the code elsewhere).
 */
export function outboundOptions(settings: Pick<AtlassianSettings, "authUrl" | "timeoutMs">): {
  signal: () => AbortSignal;
  [oauth.customFetch]: typeof fetch;
  [oauth.allowInsecureRequests]: boolean;
} {
  return {
    signal: () => AbortSignal.timeout(settings.timeoutMs),
    [oauth.customFetch]: (input, init) => fetch(input, { ...init, redirect: "manual" }),
    // Plain http only ever reaches the local emulator (tests, offline development).
    [oauth.allowInsecureRequests]: settings.authUrl.startsWith("http:"),
  };
}

/** GET a JSON API on api.atlassian.com with a bearer token, under the same timeout rules. */
export async function getJson(
  settings: Pick<AtlassianSettings, "timeoutMs">,
  url: string,
  accessToken: string,
): Promise<{ status: number; body: unknown; headers: Headers }> {
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" },
      redirect: "manual",
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
  } catch (err) {
    throw new ApiError("oauth_provider_unavailable", { cause: err, headers: { "Retry-After": "5" } });
  }
  const text = await res.text().catch(() => "");
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, body, headers: res.headers };
}
