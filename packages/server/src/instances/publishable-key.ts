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
