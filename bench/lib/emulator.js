/**
 * The Atlassian emulator, in the harness's process (so its CPU never counts as Foyer's), with
 * every /authorize answered at once by Ada's consent.
 */
import { randomBytes } from "node:crypto";
import { DEMO_IDS, demoSeed, startAtlassianEmulator } from "@foyer/atlassian-emulator";

const SCOPES = [
  "read:me",
  "read:jira-user",
  "read:jira-work",
  "write:jira-work",
  "read:confluence-space.summary",
];

export async function startEmulator() {
  const emulator = await startAtlassianEmulator({ seed: demoSeed() });
  emulator.control.setAutoConsent({ accountId: DEMO_IDS.ada });
  let apps = 0;
  return {
    emulator,
    /** Shared credentials for one Foyer (its own callback URL, which depends on its port). */
    appFor(publicUrl) {
      const app = {
        clientId: `foyer-bench-${++apps}`,
        clientSecret: randomBytes(24).toString("base64url"),
        name: "Foyer bench (shared)",
        callbackUrl: `${publicUrl}/v1/oauth_callback`,
        scopes: SCOPES,
        shared: true,
      };
      emulator.control.upsertApp(app);
      return {
        authUrl: emulator.authUrl,
        apiUrl: emulator.apiUrl,
        clientId: app.clientId,
        clientSecret: app.clientSecret,
      };
    },
    close: () => emulator.close(),
  };
}
