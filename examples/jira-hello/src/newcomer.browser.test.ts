import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { artifactPath, launchBrowser } from "@foyer/testkit/browser";
import Database from "better-sqlite3";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The built CLI, exactly what `npm start` runs after `tsc -b` (npm test builds before testing).
const CLI = resolve(import.meta.dirname, "../../../packages/server/dist/cli/foyer.js");

async function freePort(): Promise<number> {
  return new Promise((done) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}

/** A fresh `foyer start` in an empty directory, as a newcomer's first run; resolves with its output. */
async function freshStart(): Promise<{
  child: ChildProcess;
  output: string;
  exited: Promise<number | null>;
  dataDir: string;
}> {
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
      FOYER_DATA_DIR: dataDir,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  let output = "";
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
  return { child, output, exited, dataDir };
}

/** The emulator's consent screens: pick the account (when asked), then the site, then Accept. */
async function consent(page: Page, account: RegExp, site: RegExp): Promise<void> {
  const accountChoice = page.getByLabel(account);
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

describe("Newcomer: npm start, open the link, sign in, see Jira data", () => {
  let foyer: Awaited<ReturnType<typeof freshStart>>;
  let browser: Browser;

  beforeAll(async () => {
    foyer = await freshStart();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    foyer?.child.kill("SIGKILL");
  });

  it("goes from the printed link to Jira issues and back out, and stops on SIGTERM", async () => {
    const link = /Open this first:\s+(\S+)/.exec(foyer.output)![1]!;
    expect(link).toMatch(/^http:\/\/localhost:\d+$/);
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    const problems: string[] = [];
    page.on("pageerror", (err) => problems.push(err.message));

    await page.goto(link);
    const signIn = page.getByRole("button", { name: "Sign in with Atlassian" });
    await signIn.waitFor();
    await page.screenshot({ path: artifactPath("example-signed-out.png") });

    await signIn.click();
    await consent(page, /Ada Lovelace/, /Acme/);
    await page.waitForURL(`${link}/`);
    await expect(page.getByTestId("user-name").textContent()).resolves.toBe("Ada Lovelace");

    // The profile comes from Jira (GET /rest/api/3/myself, called by the example's server).
    const myself = page.getByTestId("jira-myself");
    await myself.waitFor();
    await expect(myself.textContent()).resolves.toContain("Ada Lovelace");
    await expect(page.getByTestId("site").textContent()).resolves.toContain("Acme");
    await expect(page.getByTestId("scopes").textContent()).resolves.not.toContain("read:jira-work");
    await expect(page.getByTestId("jira-issues").count()).resolves.toBe(0);
    await page.screenshot({ path: artifactPath("example-signed-in.png"), fullPage: true });

    // More scope: consent again with read:jira-work, back to the app, issues appear.
    await page.getByRole("button", { name: "Allow access to Jira issues" }).click();
    await consent(page, /Ada Lovelace/, /Acme/);
    await page.waitForURL(`${link}/`);
    const issues = page.getByTestId("jira-issues");
    await issues.waitFor();
    await expect(issues.textContent()).resolves.toContain("DEMO-1");
    await expect(page.getByTestId("scopes").textContent()).resolves.toContain("read:jira-work");
    await page.screenshot({ path: artifactPath("example-issues.png"), fullPage: true });

    // Atlassian stops accepting the grant (as Foyer records after a refused refresh): the app offers
    // to reconnect, and reconnecting keeps the scopes already granted.
    const db = new Database(join(foyer.dataDir, "foyer.db"));
    db.prepare("UPDATE external_accounts SET status = 'reauthorization_required'").run();
    db.close();
    await page.reload();
    const reconnect = page.getByRole("button", { name: "Reconnect Atlassian" });
    await reconnect.waitFor();
    await page.screenshot({ path: artifactPath("example-reconnect.png") });
    await reconnect.click();
    await consent(page, /Ada Lovelace/, /Acme/);
    await page.waitForURL(`${link}/`);
    await issues.waitFor();
    await expect(page.getByTestId("scopes").textContent()).resolves.toContain("read:jira-work");

    await page.getByRole("button", { name: "Sign out" }).click();
    await signIn.waitFor();
    await expect(page.getByTestId("user-name").count()).resolves.toBe(0);
    await page.reload();
    await signIn.waitFor();
    await page.screenshot({ path: artifactPath("example-signed-out-again.png") });
    expect(problems).toEqual([]);

    foyer.child.kill("SIGTERM");
    expect(await foyer.exited).toBe(0);
  }, 90_000);
});
