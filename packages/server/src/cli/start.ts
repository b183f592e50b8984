import { createServices } from "../bootstrap.js";
import type { Config } from "../config.js";
import { startWebhookDelivery } from "../events/delivery-worker.js";
import { dashboardUrl } from "../http/dashboard/url.js";
import { listen } from "../http/server.js";
import { ensureDefaultInstance } from "../instances/first-run.js";
import type { Logger } from "../log.js";
import { startSiteBackfillJob } from "../organizations/site-backfill.js";
import type { FaultPoints } from "../services.js";
import { startGrantHealthJobs } from "../tokens/grant-health-jobs.js";
import { startEmbeddedEmulator } from "./embedded-emulator.js";
import { startExampleApp } from "./example-app.js";
import { onPort } from "./port-in-use.js";

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
  const emulator = await onPort(
    "the built-in Atlassian emulator",
    "FOYER_EMULATOR_PORT",
    config.emulatorPort,
    () => startEmbeddedEmulator(config, log),
  );
  let svc: Awaited<ReturnType<typeof createServices>> | undefined;
  let server: Awaited<ReturnType<typeof listen>>;
  let first: Awaited<ReturnType<typeof ensureDefaultInstance>>;
  try {
    svc = await createServices(config, log, {
      ...(emulator ? { atlassian: emulator.atlassian } : {}),
      ...opts,
    });
    const services = svc;
    first = await ensureDefaultInstance(services);
    server = await onPort("Foyer", "PORT", config.port, () =>
      listen(services, { port: config.port, host: config.host }),
    );
  } catch (err) {
    // Leave nothing running behind a failed start (the emulator's port, the database handle).
    await svc?.db.close().catch(() => {});
    await emulator?.running.close();
    throw err;
  }
  const jobs = startGrantHealthJobs(svc);
  // Binds existing users' sites after organizations_from_sites turns on (resumes after a restart).
  const siteBackfill = startSiteBackfillJob(svc);
  // Every process delivers webhooks; the claim makes each attempt happen in exactly one of them.
  const webhooks = startWebhookDelivery(svc);
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
    await siteBackfill.stop();
    await webhooks.stop();
    await server.close();
    await emulator?.running.close();
  };
}
