export { ERRORS, type ErrorCode } from "@foyer/contract";
export { createServices } from "./bootstrap.js";
export { type Config, ConfigError, loadConfig } from "./config.js";
export { createApp, type FoyerApp } from "./http/app.js";
export { listen, type RunningServer } from "./http/server.js";
export { createLogger } from "./log.js";
export type { Services } from "./services.js";
