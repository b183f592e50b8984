/**
 * Starts Debian's Chromium through playwright-core for browser tests.
 * Never a downloaded browser: this machine and CI reach no browser CDN.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM_PATH = process.env.FOYER_CHROMIUM_PATH ?? "/usr/bin/chromium";

// Without the background-networking flags Chromium keeps dialling Google and fails noisily here.
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Playwright gives each launch a fresh, empty profile of its own (it refuses --user-data-dir here).
 * `args` adds flags, e.g. `--ignore-certificate-errors` in front of a self-signed certificate.
 */
export async function launchBrowser(opts: { args?: string[] } = {}): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...FLAGS, ...(opts.args ?? [])] });
}

/** Where browser tests save screenshots; CI keeps this folder as artifacts. */
export function artifactPath(name: string): string {
  const dir = join(process.cwd(), "test-artifacts");
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}
