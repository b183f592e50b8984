/**
 * The Frontend API URL inside a publishable key (`pk_test_` / `pk_live_` + unpadded base64 of
 * "<url>$"), so an app configures nothing but the key.
 */
export function frontendApiFromKey(publishableKey: string): string {
  const m = /^pk_(test|live)_([A-Za-z0-9+/]+)$/.exec(publishableKey ?? "");
  let decoded = "";
  try {
    decoded = m ? atob(m[2]!.padEnd(Math.ceil(m[2]!.length / 4) * 4, "=")) : "";
  } catch {
    decoded = "";
  }
  if (!decoded.endsWith("$"))
    throw new Error("Foyer: that is not a publishable key (pk_test_… or pk_live_…).");
  const url = new URL(decoded.slice(0, -1));
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error("Foyer: bad Frontend API URL.");
  return url.href.replace(/\/+$/, "");
}
