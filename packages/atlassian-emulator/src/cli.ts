/**
 * `atlassian-emulator --port N [--host H] [--seed file.json] [--api-port N]`. Prints one JSON line
 * with the URLs, so a parent process can read where to point its Atlassian client.
 */
import { readFileSync } from "node:fs";
import { seedSchema } from "./control/schemas.js";
import { demoSeed } from "./demo-seed.js";
import { startAtlassianEmulator } from "./server.js";
import type { EmulatorSeed, RunningEmulator } from "./types.js";

export interface CliArgs {
  port: number;
  host?: string;
  apiPort?: number;
  seedFile?: string;
}

export function parseCliArgs(argv: string[]): CliArgs {
  const args: CliArgs = { port: 0 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`Missing value for ${flag}`);
    i++;
    switch (flag) {
      case "--port":
        args.port = portNumber(flag, value);
        break;
      case "--api-port":
        args.apiPort = portNumber(flag, value);
        break;
      case "--host":
        args.host = value;
        break;
      case "--seed":
        args.seedFile = value;
        break;
      default:
        throw new Error(`Unknown argument ${flag}`);
    }
  }
  return args;
}

function portNumber(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${flag} must be a port number`);
  return n;
}

/** Without --seed the demo accounts and sites are loaded. */
export function loadSeed(file: string | undefined): EmulatorSeed {
  if (!file) return demoSeed();
  const parsed = seedSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success) throw new Error(`Invalid seed file ${file}: ${parsed.error.message}`);
  return parsed.data;
}

export async function runEmulatorCli(argv: string[]): Promise<RunningEmulator> {
  const args = parseCliArgs(argv);
  const running = await startAtlassianEmulator({
    port: args.port,
    host: args.host,
    apiPort: args.apiPort,
    seed: loadSeed(args.seedFile),
    quiet: true,
  });
  process.stdout.write(
    `${JSON.stringify({ authUrl: running.authUrl, apiUrl: running.apiUrl, controlUrl: running.controlUrl })}\n`,
  );
  const stop = () => {
    void running.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return running;
}
