import { parsePublishableKey } from "@foyer/contract";

/**
 * The Frontend API URL inside a publishable key (`pk_test_…` / `pk_live_…`), normalised without
 * a trailing slash, so an app configures nothing but the key. Throws on anything else.
 */
export function frontendApiFromKey(publishableKey: string): string {
  const info = parsePublishableKey(publishableKey);
  if (!info) throw new Error("Foyer: that is not a publishable key (pk_test_… or pk_live_…).");
  return new URL(info.frontendApiUrl).href.replace(/\/+$/, "");
}
