import type { EmulatorSettings } from "./types.js";

const DAY = 24 * 60 * 60;

/** Atlassian's documented values (atlassian-3lo §2-§3); where unsure, the stricter side (§11). */
export function defaultSettings(): EmulatorSettings {
  return {
    codeTtlSeconds: 600,
    accessTokenTtlSeconds: 3600,
    refreshLeewaySeconds: 600,
    refreshIdleSeconds: 90 * DAY,
    refreshAbsoluteSeconds: 365 * DAY,
    pkce: "accept",
    emitEmailVerified: true,
    badCodeStyle: "invalid_request",
    confluenceDeadToken: "masked",
  };
}
