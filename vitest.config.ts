import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "packages/*/src/**/*.test.ts",
      "packages/*/src/**/*.test.tsx",
      "examples/*/src/**/*.test.ts",
      "bench/**/*.test.ts",
      "packaging/*.test.ts",
      "deploy/**/*.test.ts",
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Two cores: more workers only fight over them, and browser tests start a Chromium each.
    maxWorkers: 2,
    globalSetup: ["./packages/testkit/src/global-setup.ts"],
    reporters: ["default", "./packages/testkit/src/summary-reporter.ts"],
  },
});
