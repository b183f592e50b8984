/**
 * The URL rules for requests Foyer makes for others. Checked when the URL is saved (a clear
 * 422) and again before every request (an address can change after saving: DNS rebinding).
 */
export type OutboundMode = "production" | "development";

export type UrlRefusal =
  | "not_a_url"
  | "https_required"
  | "credentials_in_url"
  | "scheme_not_allowed"
  | "address_refused";

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** True for `localhost`, `*.localhost` and loopback literals, as browsers treat them. */
export function isLoopbackName(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return LOOPBACK_NAMES.has(h) || h.endsWith(".localhost") || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/**
 * Parses and checks a receiver URL: http(s) only, no user:password, https in production;
 * development may use plain http to loopback only. Returns the URL or why it is refused.
 */
export function checkOutboundUrl(
  text: string,
  mode: OutboundMode,
): { ok: true; url: URL } | { ok: false; refusal: UrlRefusal } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, refusal: "not_a_url" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    return { ok: false, refusal: "scheme_not_allowed" };
  if (url.username || url.password) return { ok: false, refusal: "credentials_in_url" };
  if (url.protocol === "http:" && !(mode === "development" && isLoopbackName(url.hostname))) {
    return { ok: false, refusal: "https_required" };
  }
  return { ok: true, url };
}
