import cluster from "node:cluster";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Config } from "../config.js";
import type { DefaultInstance } from "../instances/first-run.js";
import type { Logger } from "../log.js";
import type { Services } from "../services.js";
import type { RunningExample } from "./example-app.js";
import { isPortInUse, portInUseMessage } from "./port-in-use.js";

/**
 * The example MCP server (examples/jira-mcp) beside a development `foyer start` from the
 * repository, so an agent can be pointed at Jira through Foyer's authorization server at once.
 * Like the example app it runs in this process and is configured as a separate deployment would
 * be: the default instance's keys and Foyer's public URL.
 */

// From packages/server/dist/cli/ to the repository's examples/. Absent in an installed package.
const MCP_ENTRY = new URL("../../../../examples/jira-mcp/dist/server.js", import.meta.url);

interface JiraMcpModule {
  startJiraMcp(options: {
    publishableKey: string;
    secretKey: string;
    apiUrl: string;
    port: number;
    host: string;
  }): Promise<RunningExample>;
}

/**
 * FOYER_EXAMPLE_MCP=off (or 0/false/no) skips it; FOYER_EXAMPLE_MCP_PORT moves it from PORT+3
 * (NaN when that is not a port).
 */
export function mcpExampleSettings(
  config: Config,
  env: Record<string, string | undefined> = process.env,
): { port: number } | undefined {
  if (/^(off|0|false|no)$/i.test(env.FOYER_EXAMPLE_MCP ?? "")) return undefined;
  const fallback = config.port === 0 ? 0 : config.port + 3;
  const port = env.FOYER_EXAMPLE_MCP_PORT ? Number(env.FOYER_EXAMPLE_MCP_PORT) : fallback;
  if (!Number.isInteger(port) || port < 0 || port > 65535) return { port: Number.NaN };
  return { port };
}

/** Starts the example MCP server in a single-process development start. Never fatal. */
export async function startMcpExample(
  svc: Services,
  first: DefaultInstance | undefined,
  log: Logger,
): Promise<RunningExample | undefined> {
  const config = svc.config;
  const settings = mcpExampleSettings(config);
  if (config.production || !first || cluster.isWorker || !settings) return undefined;
  if (!existsSync(fileURLToPath(MCP_ENTRY))) return undefined;
  if (Number.isNaN(settings.port)) {
    log.warn(
      "FOYER_EXAMPLE_MCP_PORT must be a port number from 0 to 65535; the example MCP server is not started",
    );
    return undefined;
  }
  try {
    const { startJiraMcp } = (await import(MCP_ENTRY.href)) as JiraMcpModule;
    return await startJiraMcp({
      publishableKey: first.instance.publishable_key,
      secretKey: first.secretKey,
      apiUrl: config.publicUrl,
      port: settings.port,
      host: config.host,
    });
  } catch (err) {
    if (isPortInUse(err)) {
      log.warn(
        `${portInUseMessage("the example MCP server", "FOYER_EXAMPLE_MCP_PORT", settings.port)} Foyer runs without it.`,
      );
      return undefined;
    }
    log.warn({ err }, "the example MCP server (examples/jira-mcp) did not start; Foyer runs without it");
    return undefined;
  }
}
