import type { Config } from "../config.js";
import { randomToken } from "../crypto/random.js";
import type { Logger } from "../log.js";
import type { AtlassianSettings } from "../services.js";

/** Scopes the emulated shared app has "added in the console", so any dev instance scope works. */
export const EMULATED_APP_SCOPES = [
  "read:me",
  "read:jira-user",
  "read:jira-work",
  "write:jira-work",
  "manage:jira-project",
  "read:confluence-content.all",
  "read:confluence-space.summary",
  "read:confluence-user",
  "search:confluence",
  "read:page:confluence",
  "read:space:confluence",
  "read:issue:jira",
];

export const EMULATED_SHARED_CLIENT_ID = "foyer-dev-shared";

/**
 * When the operator configured no Atlassian at all (no shared credentials, no Atlassian URLs),
 * a development install signs in against the built-in emulator, so a fresh clone works offline.
 */
export async function startEmbeddedEmulator(
  config: Config,
  log: Logger,
): Promise<
  { running: import("@foyer/atlassian-emulator").RunningEmulator; atlassian: AtlassianSettings } | undefined
> {
  if (config.production || config.atlassian.sharedClientId || config.atlassian.urlsConfigured)
    return undefined;
  const { startAtlassianEmulator, demoSeed } = await import("@foyer/atlassian-emulator");
  const clientSecret = randomToken(32);
  const running = await startAtlassianEmulator({
    port: config.emulatorPort,
    host: config.host === "0.0.0.0" ? "127.0.0.1" : config.host,
    seed: {
      ...demoSeed(),
      apps: [
        {
          clientId: EMULATED_SHARED_CLIENT_ID,
          clientSecret,
          name: "Foyer development (shared)",
          callbackUrl: `${config.publicUrl}/v1/oauth_callback`,
          scopes: EMULATED_APP_SCOPES,
          shared: true,
        },
      ],
    },
  });
  log.info(
    { authUrl: running.authUrl },
    "Atlassian emulator started as the shared credentials of development instances",
  );
  return {
    running,
    atlassian: {
      authUrl: running.authUrl,
      apiUrl: running.apiUrl,
      shared: { clientId: EMULATED_SHARED_CLIENT_ID, clientSecret },
      emulated: true,
      timeoutMs: 10_000,
    },
  };
}
