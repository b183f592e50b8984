/**
 * Publishable keys carry their Frontend API URL, the way Clerk's keys carry their Frontend API
 * host: `pk_test_` / `pk_live_` + unpadded base64 of "<url>$". An SDK needs nothing else.
 */
export function encodePublishableKey(
  environment: "development" | "production",
  frontendApiUrl: string,
): string {
  const prefix = environment === "production" ? "pk_live_" : "pk_test_";
  return prefix + Buffer.from(`${frontendApiUrl}$`, "utf8").toString("base64").replace(/=+$/, "");
}

/** The Frontend API URL inside a publishable key, or undefined when it is not one. */
export function decodePublishableKey(
  key: string,
): { environment: "development" | "production"; frontendApiUrl: string } | undefined {
  const m = /^pk_(test|live)_([A-Za-z0-9+/]+)$/.exec(key);
  if (!m) return undefined;
  const decoded = Buffer.from(m[2]!, "base64").toString("utf8");
  if (!decoded.endsWith("$")) return undefined;
  return {
    environment: m[1] === "live" ? "production" : "development",
    frontendApiUrl: decoded.slice(0, -1),
  };
}
