import { createServices } from "../bootstrap.js";
import type { Config } from "../config.js";
import { ensureDefaultInstance } from "../first-run.js";
import { dashboardUrl } from "../http/dashboard/url.js";
import { listen } from "../http/server.js";
import type { Logger } from "../log.js";
import type { FaultPoints } from "../services.js";
import { startGrantHealthJobs } from "../tokens/grant-health-jobs.js";
import { startEmbeddedEmulator } from "./embedded-emulator.js";
import { startExampleApp } from "./example-app.js";

/**
 * `foyer start`: storage, migrations, the default instance on a fresh install, the Atlassian
 * emulator when no Atlassian is configured, then the server. Returns a stop function that
 * shuts everything down in reverse order.
 */
export async function start(
  config: Config,
  log: Logger,
  out: (line: string) => void,
  opts: { faults?: FaultPoints } = {},
): Promise<() => Promise<void>> {
  const emulator = await startEmbeddedEmulator(config, log);
  const svc = await createServices(config, log, {
    ...(emulator ? { atlassian: emulator.atlassian } : {}),
    ...opts,
  });
  const first = await ensureDefaultInstance(svc);
  const server = await listen(svc, { port: config.port, host: config.host });
  const jobs = startGrantHealthJobs(svc);
  const example = await startExampleApp(svc, first, log);

  const lines = [`Foyer is ready at ${svc.config.publicUrl}  (listening on ${server.url})`];
  if (first) {
    lines.push(
      `  Application:      ${first.applicationName} (development instance ${first.instance.id})`,
      `  Sign-in page:     ${first.instance.sign_in_url}`,
      `  Publishable key:  ${first.instance.publishable_key}`,
    );
    if (!config.production) lines.push(`  Secret key:       ${first.secretKey}`);
  }
  lines.push(`  Dashboard:        ${dashboardUrl(svc.config.publicUrl)}  (sign in with the platform token)`);
  if (!config.production) lines.push(`  Platform token:   ${svc.config.platformToken}`);
  lines.push(
    emulator
      ? `  Atlassian:        emulated at ${emulator.running.authUrl} (offline; demo accounts to pick on the consent page)`
      : `  Atlassian:        ${svc.atlassian.authUrl}`,
  );
  if (!config.production && !config.encryptionKey) {
    lines.push(`  Warning: secrets were generated under ${config.dataDir}/; production must set its own.`);
  }
  if (example) {
    lines.push(
      "",
      `  Open this first:  ${example.url}  (examples/jira-hello: sign in with Atlassian, see your Jira data; FOYER_EXAMPLE=off skips it)`,
    );
  }
  for (const l of lines) out(l);

  return async () => {
    await example?.close();
    await jobs.stop();
    await server.close();
    await emulator?.running.close();
  };
}
