/**
 * @foyer/atlassian-emulator: an offline twin of auth.atlassian.com and api.atlassian.com for
 * Foyer's development default and tests.
 */
export { createAtlassianEmulator } from "./app.js";
export { runEmulatorCli } from "./cli.js";
export { EmulatorControlError } from "./control/control.js";
export { DEMO_IDS, demoSeed } from "./demo-seed.js";
export { startAtlassianEmulator } from "./server.js";
export { defaultSettings } from "./settings.js";
export type {
  ConsentAnswer,
  EmulatorAccount,
  EmulatorApp,
  EmulatorControl,
  EmulatorCounters,
  EmulatorOptions,
  EmulatorSeed,
  EmulatorSettings,
  EmulatorSite,
  FaultName,
  GrantView,
  RunningEmulator,
  StartEmulatorOptions,
} from "./types.js";
