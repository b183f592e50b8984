/**
 * The real `foyer start` (the built CLI, exactly what `npm start` runs after `tsc -b`) in a fresh
 * directory, as a newcomer's first run, and the emulator's consent screens driven in a browser.
 * For the example's browser tests.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Page } from "playwright-core";
import { artifactPath } from "./browser.js";

const CLI = resolve(import.meta.dirname, "../../server/dist/cli/foyer.js");

export async function freePort(): Promise<number> {
  return new Promise((done) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}

export interface FreshFoyer {
  child: ChildProcess;
  /** Everything it printed up to the "Open this first" line. */
  output: string;
  /** What it printed on each stream so far: the banner on stdout, the JSON logs on stderr. */
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
  dataDir: string;
}

/** `foyer start` in an empty directory; resolves once it printed the example's link. */
export async function freshStart(env: Record<string, string> = {}): Promise<FreshFoyer> {
  const cwd = mkdtempSync(join(tmpdir(), "foyer-newcomer-"));
  const dataDir = join(cwd, ".foyer");
  const child = spawn(process.execPath, [CLI, "start"], {
    cwd,
    env: {
      PATH: process.env.PATH ?? "",
      LOG_LEVEL: "warn",
      PORT: String(await freePort()),
      FOYER_EMULATOR_PORT: String(await freePort()),
      FOYER_EXAMPLE_PORT: String(await freePort()),
      FOYER_EXAMPLE_MCP_PORT: String(await freePort()),
      FOYER_DATA_DIR: dataDir,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  let output = "";
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => {
    stdout += d;
  });
  child.stderr!.on("data", (d: Buffer) => {
    stderr += d;
  });
  await new Promise<void>((done, fail) => {
    const onData = (d: Buffer) => {
      output += d;
      if (/Open this first:\s+\S+/.test(output)) done();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => fail(new Error(`foyer start exited ${code}:\n${output}`)));
    setTimeout(() => fail(new Error(`no "Open this first" line within 20 s:\n${output}`)), 20_000);
  });
  return { child, output, exited, dataDir, stdout: () => stdout, stderr: () => stderr };
}

/** A value `foyer start` printed after `label` (e.g. "Secret key:"), or an error naming the output. */
export function printed(output: string, label: RegExp): string {
  const match = new RegExp(`${label.source}\\s+(\\S+)`).exec(output);
  if (!match?.[1]) throw new Error(`foyer start did not print ${label}:\n${output}`);
  return match[1];
}

/** The emulator's consent screens: pick the account (when asked), then the site, then Accept. */
export async function consent(page: Page, account: RegExp, site: RegExp): Promise<void> {
  // A radio, not any label: the app page being left can still show the user's name (an account
  // menu labelled "Account menu for Ada Lovelace") until the emulator's page replaces it.
  const accountChoice = page.getByRole("radio", { name: account });
  const siteChoice = page.getByRole("radio", { name: site });
  await accountChoice
    .or(siteChoice)
    .first()
    .waitFor()
    .catch(async (err: unknown) => {
      await page.screenshot({ path: artifactPath("example-consent-failed.png") });
      throw new Error(
        `no consent screen at ${page.url()}: ${(await page.textContent("body"))?.slice(0, 500)}`,
        {
          cause: err,
        },
      );
    });
  if (await accountChoice.isVisible()) {
    await accountChoice.check();
    await page.getByRole("button", { name: "Continue", exact: true }).click();
  }
  await siteChoice.check();
  await page.getByRole("button", { name: "Accept", exact: true }).click();
}
