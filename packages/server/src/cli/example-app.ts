import cluster from "node:cluster";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Config } from "../config.js";
import type { DefaultInstance } from "../instances/first-run.js";
import { getInstance, updateInstance } from "../instances/instances.js";
import type { Logger } from "../log.js";
import type { Services } from "../services.js";
import { isPortInUse, portInUseMessage } from "./port-in-use.js";

/**
 * The example app (examples/jira-hello) beside a development `foyer start` from the repository,
 * so a newcomer's first link is an app that signs in with Atlassian and shows their Jira data.
 * It runs in this process (one Ctrl-C stops both; nothing is orphaned) but is configured exactly
 * as a separate deployment would be: the default instance's keys and Foyer's public URL.
 */

// From packages/server/dist/cli/ to the repository's examples/. Absent in an installed package.
const EXAMPLE_ENTRY = new URL("../../../../examples/jira-hello/dist/server.js", import.meta.url);

interface JiraHelloModule {
  startJiraHello(options: {
    publishableKey: string;
    secretKey: string;
    apiUrl: string;
    port: number;
    host: string;
    jql: string;
  }): Promise<{ url: string; close(): Promise<void> }>;
}

export interface RunningExample {
  url: string;
  close(): Promise<void>;
}

/**
 * FOYER_EXAMPLE=off (or 0/false/no) skips it; FOYER_EXAMPLE_PORT moves it from PORT+2 (NaN when
 * that is not a port).
 */
export function exampleSettings(
  config: Config,
  env: Record<string, string | undefined> = process.env,
): { port: number } | undefined {
  if (/^(off|0|false|no)$/i.test(env.FOYER_EXAMPLE ?? "")) return undefined;
  const fallback = config.port === 0 ? 0 : config.port + 2;
  const port = env.FOYER_EXAMPLE_PORT ? Number(env.FOYER_EXAMPLE_PORT) : fallback;
  if (!Number.isInteger(port) || port < 0 || port > 65535) return { port: Number.NaN };
  return { port };
}

/**
 * Starts the example when this is a single-process development start from the repository with a
 * default instance, and lets its origin use the instance. Never fatal: Foyer runs without it.
 */
export async function startExampleApp(
  svc: Services,
  first: DefaultInstance | undefined,
  log: Logger,
): Promise<RunningExample | undefined> {
  const config = svc.config;
  const settings = exampleSettings(config);
  if (config.production || !first || cluster.isWorker || !settings) return undefined;
  if (!existsSync(fileURLToPath(EXAMPLE_ENTRY))) return undefined;
  if (Number.isNaN(settings.port)) {
    log.warn("FOYER_EXAMPLE_PORT must be a port number from 0 to 65535; the example app is not started");
    return undefined;
  }
  try {
    const { startJiraHello } = (await import(EXAMPLE_ENTRY.href)) as JiraHelloModule;
    const app = await startJiraHello({
      publishableKey: first.instance.publishable_key,
      secretKey: first.secretKey,
      apiUrl: config.publicUrl,
      port: settings.port,
      host: config.host,
      jql: "assignee = currentUser() ORDER BY updated DESC",
    });
    // The example's redirect_url and its Frontend API calls come from its own origin.
    const origin = new URL(app.url).origin;
    const instance = await getInstance(svc, first.instance.id);
    if (!instance.allowed_origins.includes(origin)) {
      await updateInstance(svc, instance.id, { allowed_origins: [...instance.allowed_origins, origin] });
    }
    return app;
  } catch (err) {
    if (isPortInUse(err)) {
      log.warn(
        `${portInUseMessage("the example app", "FOYER_EXAMPLE_PORT", settings.port)} Foyer runs without it.`,
      );
      return undefined;
    }
    log.warn({ err }, "the example app (examples/jira-hello) did not start; Foyer runs without it");
    return undefined;
  }
}
