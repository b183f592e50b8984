#!/usr/bin/env node
import { ConfigError, configFromEnv } from "./config.js";
import { startJiraHello } from "./server.js";

/** `node dist/main.js`: the example on its own, configured by environment variables (see README). */
try {
  const options = configFromEnv();
  const app = await startJiraHello(options);
  console.log(`Jira Hello is running: open ${app.url}`);
  const stop = () => {
    app.close().then(
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
