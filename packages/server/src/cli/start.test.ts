import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort } from "@foyer/testkit/foyer-cli";
import { afterEach, describe, expect, it } from "vitest";

// The `foyer` command as npm links it (it loads the build, which npm test makes first).
const CLI = resolve(import.meta.dirname, "../../bin/foyer.js");

const running: ChildProcess[] = [];
afterEach(() => {
  for (const p of running.splice(0)) p.kill("SIGKILL");
});

function run(env: Record<string, string>, cwd: string) {
  const child = spawn(process.execPath, [CLI, "start"], {
    cwd,
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.push(child);
  let out = "";
  child.stdout!.on("data", (d) => {
    out += d;
  });
  child.stderr!.on("data", (d) => {
    out += d;
  });
  const ready = new Promise<string>((done, fail) => {
    const timer = setInterval(() => {
      if (out.includes("Platform token:") || out.includes("Atlassian:")) {
        clearInterval(timer);
        setTimeout(() => done(out), 50);
      }
    }, 50);
    child.once("exit", (code) => {
      clearInterval(timer);
      fail(new Error(`exited ${code}: ${out}`));
    });
  });
  // Tests that expect an exit never await `ready`; keep its rejection from going unhandled.
  ready.catch(() => {});
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  return { child, ready, exited, output: () => out };
}

const line = (out: string, label: string) => new RegExp(`${label}:\\s+(\\S+)`).exec(out)?.[1];

describe("foyer start", () => {
  it("starts with everything embedded, reuses it on the next start, and stops gracefully", async () => {
    const dir = mkdtempSync(join(tmpdir(), "foyer-start-"));
    const port = await freePort();
    const first = run({ PORT: String(port), FOYER_EMULATOR_PORT: String(await freePort()) }, dir);
    const out1 = await first.ready;
    expect(out1).toContain(`Foyer is ready at http://localhost:${port}`);
    expect(out1).toContain("emulated at");
    expect(line(out1, "Dashboard")).toBe(`http://localhost:${port}/dashboard`);
    const keys1 = {
      pk: line(out1, "Publishable key"),
      sk: line(out1, "Secret key"),
      pt: line(out1, "Platform token"),
    };
    expect(keys1.pk).toMatch(/^pk_test_/);
    expect(keys1.sk).toMatch(/^sk_test_/);

    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    const signIn = await fetch(line(out1, "Sign-in page")!.replace("localhost", "127.0.0.1"));
    expect(await signIn.text()).toContain("Continue with Atlassian");

    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);

    // `foyer keys` reads the same keys back from the database.
    const keys = spawnSync(process.execPath, [CLI, "keys"], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "warn", PORT: String(port) },
      encoding: "utf8",
    });
    expect(keys.status).toBe(0);
    expect(keys.stdout).toContain(`Publishable key:  ${keys1.pk}`);
    expect(keys.stdout).toContain(`Secret key:       ${keys1.sk}`);

    const second = run({ PORT: String(port), FOYER_EMULATOR_PORT: String(await freePort()) }, dir);
    const out2 = await second.ready;
    expect({
      pk: line(out2, "Publishable key"),
      sk: line(out2, "Secret key"),
      pt: line(out2, "Platform token"),
    }).toEqual(keys1);
    second.child.kill("SIGINT");
    expect(await second.exited).toBe(0);
  });

  it("refuses to start in production without its secrets", async () => {
    const dir = mkdtempSync(join(tmpdir(), "foyer-prod-"));
    const p = run({ NODE_ENV: "production", PORT: String(await freePort()) }, dir);
    expect(await p.exited).toBe(1);
    expect(p.output()).toContain("FOYER_ENCRYPTION_KEY is required in production");
    expect(p.output()).toContain("FOYER_PLATFORM_TOKEN is required in production");
  });

  it("refuses a database encrypted with another key instead of overwriting anything", async () => {
    const dir = mkdtempSync(join(tmpdir(), "foyer-key-"));
    const port = await freePort();
    const env = { PORT: String(port), FOYER_EMULATOR_PORT: String(await freePort()) };
    const first = run({ ...env, FOYER_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64") }, dir);
    await first.ready;
    first.child.kill("SIGTERM");
    await first.exited;
    const wrong = run({ ...env, FOYER_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString("base64") }, dir);
    expect(await wrong.exited).toBe(1);
    expect(wrong.output()).toContain("FOYER_ENCRYPTION_KEY does not open this database");
  });

  it("names the part and the variable when a port is taken", async () => {
    const busy = createServer();
    const port = await new Promise<number>((done) =>
      busy.listen(0, "127.0.0.1", () => done((busy.address() as { port: number }).port)),
    );
    try {
      const foyer = run(
        { PORT: String(port), FOYER_EMULATOR_PORT: String(await freePort()) },
        mkdtempSync(join(tmpdir(), "foyer-port-")),
      );
      expect(await foyer.exited).toBe(1);
      expect(foyer.output()).toContain(
        `Port ${port} is already in use, so Foyer cannot start. Set PORT to a free port`,
      );

      const emulator = run(
        { PORT: String(await freePort()), FOYER_EMULATOR_PORT: String(port) },
        mkdtempSync(join(tmpdir(), "foyer-port-")),
      );
      expect(await emulator.exited).toBe(1);
      expect(emulator.output()).toContain(
        "so the built-in Atlassian emulator cannot start. Set FOYER_EMULATOR_PORT",
      );
      expect(emulator.output()).not.toContain("    at ");
    } finally {
      busy.close();
    }
  });
});
