#!/usr/bin/env node
import { ConfigError, configFromEnv } from "./config.js";
import { startJiraMcp } from "./server.js";

/** `node dist/main.js`: the example on its own, configured by environment variables (see README). */
try {
  const running = await startJiraMcp(configFromEnv());
  console.log(`Jira MCP is running: point your MCP client at ${running.url}`);
  const stop = () => {
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
