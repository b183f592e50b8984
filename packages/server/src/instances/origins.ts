import { ApiError } from "../errors/api-error.js";

/**
 * Exact-origin checks. An origin is compared after URL parsing, never by prefix or pattern, so
 * `https://app.example.com.evil.test` and `https://app.example.com@evil.test` never pass.
 */

/** An absolute http(s) URL without credentials, or undefined: the only kind Foyer redirects to. */
function httpUrl(value: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
  if (url.username || url.password) return undefined;
  return url;
}

/** Normalises "https://App.Example.com:443" to "https://app.example.com"; undefined if not an origin. */
export function parseOrigin(value: string): string | undefined {
  const url = httpUrl(value);
  // An origin has no path, query or fragment: refuse them instead of silently dropping them.
  if (url?.pathname !== "/" || /[?#]/.test(value)) return undefined;
  return url.origin;
}

/**
 * Allowed origins from an API or form: each an exact origin, normalised, or an error naming its
 * index. Never a wildcard (the URL parser accepts `*` in a host name). A production instance
 * takes https origins only (plain http only on loopback hosts), as a session token's `azp` and
 * every redirect follow from this list.
 */
export function parseAllowedOrigins(
  values: readonly string[],
  environment: "development" | "production" = "development",
): string[] {
  return values.map((value, i) => {
    const origin = value.length <= 300 && !value.includes("*") ? parseOrigin(value) : undefined;
    const url = origin ? new URL(origin) : undefined;
    const insecure =
      environment === "production" && url?.protocol === "http:" && !isLoopbackHost(url.hostname);
    if (!origin || insecure) {
      throw new ApiError("form_param_invalid", {
        longMessage: insecure
          ? `"${value}" is plain http: production origins must be https (http only on loopback hosts).`
          : `"${value}" is not an exact origin such as https://app.example.com (no path, no wildcard).`,
        meta: { param_name: `allowed_origins.${i}` },
      });
    }
    return origin;
  });
}

/**
 * The after-sign-in URL an operator sets: an http(s) URL without userinfo
 * (`https://app.example.com@evil.test` shows one host and goes to another), and on a
 * production instance on one of the origins it redirects to.
 */
export function parseAfterSignInUrl(
  value: string,
  environment: "development" | "production",
  origins: readonly string[],
): string {
  const url = httpUrl(value);
  const allowed = url && (environment === "development" || origins.includes(url.origin));
  if (!url || !allowed || value.includes("*")) {
    throw new ApiError("form_param_invalid", {
      longMessage: url
        ? `"${value}" is not on one of this instance's allowed origins.`
        : `"${value}" is not an http(s) URL without user name or password.`,
      meta: { param_name: "after_sign_in_url" },
    });
  }
  return url.href;
}

export function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === "localhost" ||
    hostname === "127.0.0.1" ||
    hostname === "[::1]" ||
    hostname.endsWith(".localhost")
  );
}

/**
 * The URL to send a user to after sign-in, if its origin is allowed. Only http(s) URLs pass,
 * so `javascript:` and `data:` are never emitted.
 */
export function allowedRedirect(value: string, allowedOrigins: readonly string[]): string | undefined {
  const url = httpUrl(value);
  return url && allowedOrigins.includes(url.origin) ? url.href : undefined;
}
