#!/usr/bin/env node
import { runEmulatorCli } from "./cli.js";

runEmulatorCli(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`atlassian-emulator: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
