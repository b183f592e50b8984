/**
 * Publishable keys carry their instance's Frontend API URL, the way Clerk's carry their Frontend
 * API host: `pk_test_` / `pk_live_` + unpadded base64 of the UTF-8 of "<url>$". An SDK needs
 * nothing but the key. One codec for the server (encode) and both SDKs (parse), written with
 * atob/btoa and TextEncoder so it runs in browsers and Node alike.
 */

/** An instance's environment: `pk_test_` keys are development, `pk_live_` keys production. */
export type InstanceEnvironment = "development" | "production";

/** What a publishable key says. */
export interface PublishableKeyInfo {
  environment: InstanceEnvironment;
  /** Exactly the URL the key was made from (no trailing-slash or case normalisation). */
  frontendApiUrl: string;
}

const KEY = /^pk_(test|live)_([A-Za-z0-9+/]+)$/;

function base64OfUtf8(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function utf8OfBase64(b64: string): string | undefined {
  try {
    const binary = atob(b64.padEnd(Math.ceil(b64.length / 4) * 4, "="));
    const bytes = Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** The publishable key of an instance with this environment and Frontend API URL. */
export function encodePublishableKey(environment: InstanceEnvironment, frontendApiUrl: string): string {
  const prefix = environment === "production" ? "pk_live_" : "pk_test_";
  return prefix + base64OfUtf8(`${frontendApiUrl}$`).replace(/=+$/, "");
}

/**
 * The environment and Frontend API URL in a publishable key, or undefined when the string is not
 * one (wrong prefix, not base64, no "$" terminator, or not an http(s) URL).
 */
export function parsePublishableKey(key: string): PublishableKeyInfo | undefined {
  const m = KEY.exec(typeof key === "string" ? key : "");
  if (!m) return undefined;
  const decoded = utf8OfBase64(m[2]!);
  if (!decoded?.endsWith("$")) return undefined;
  const frontendApiUrl = decoded.slice(0, -1);
  try {
    const url = new URL(frontendApiUrl);
    if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
  } catch {
    return undefined;
  }
  return { environment: m[1] === "live" ? "production" : "development", frontendApiUrl };
}
