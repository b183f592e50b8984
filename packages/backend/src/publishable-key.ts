/**
 * Publishable keys carry their Frontend API URL, as Clerk's carry their Frontend API host:
 * `pk_test_` / `pk_live_` + unpadded base64 of "<url>$".
 */
export interface PublishableKeyInfo {
  environment: "development" | "production";
  frontendApiUrl: string;
}

/** The Frontend API URL in a publishable key, or undefined when the string is not one. */
export function parsePublishableKey(key: string): PublishableKeyInfo | undefined {
  const m = /^pk_(test|live)_([A-Za-z0-9+/]+)$/.exec(key);
  if (!m) return undefined;
  const decoded = Buffer.from(m[2]!, "base64").toString("utf8");
  if (!decoded.endsWith("$")) return undefined;
  const frontendApiUrl = decoded.slice(0, -1);
  try {
    const url = new URL(frontendApiUrl);
    if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
  } catch {
    return undefined;
  }
  return { environment: m[1] === "live" ? "production" : "development", frontendApiUrl };
}
