import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseCliArgs, runEmulatorCli } from "./cli.js";
import { startAtlassianEmulator } from "./server.js";

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

// Remove only the signal handlers the CLI added, never the test runner's own.
const signalsBefore = { SIGINT: process.listeners("SIGINT"), SIGTERM: process.listeners("SIGTERM") };
afterEach(() => {
  vi.restoreAllMocks();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    for (const listener of process.listeners(signal)) {
      if (!signalsBefore[signal].includes(listener)) process.off(signal, listener);
    }
  }
});

describe("runEmulatorCli", () => {
  it("prints one JSON line with the URLs and serves the seed file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emulator-cli-"));
    const seedFile = join(dir, "seed.json");
    writeFileSync(
      seedFile,
      JSON.stringify({
        sites: [{ cloudId: "c1", name: "Seeded", url: "https://s.atlassian.net", products: ["jira"] }],
      }),
    );
    const lines: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const running = await runEmulatorCli(["--port", "0", "--host", "127.0.0.1", "--seed", seedFile]);
    try {
      expect(lines).toHaveLength(1);
      const printed = JSON.parse(lines[0]!) as Record<string, string>;
      expect(printed).toEqual({
        authUrl: running.authUrl,
        apiUrl: running.apiUrl,
        controlUrl: running.controlUrl,
      });
      const index = await (await fetch(printed.controlUrl!)).text();
      expect(index).toContain("Seeded");
      expect(process.listenerCount("SIGTERM")).toBe(signalsBefore.SIGTERM.length + 1);
    } finally {
      await running.close();
    }
  });

  it("rejects unknown flags and bad ports", () => {
    expect(() => parseCliArgs(["--nope", "1"])).toThrow(/Unknown argument/);
    expect(() => parseCliArgs(["--port", "abc"])).toThrow(/port/);
    expect(() => parseCliArgs(["--port"])).toThrow(/Missing value/);
    expect(parseCliArgs(["--port", "4455", "--api-port", "4456"])).toEqual({ port: 4455, apiPort: 4456 });
  });
});

describe("startAtlassianEmulator with apiPort", () => {
  it("serves api.atlassian.com paths on the second port only", async () => {
    const apiPort = await freePort();
    const running = await startAtlassianEmulator({ apiPort });
    try {
      expect(running.apiUrl).toBe(`http://127.0.0.1:${apiPort}`);
      expect(running.authUrl).not.toBe(running.apiUrl);
      expect((await fetch(`${running.apiUrl}/me`)).status).toBe(401);
      expect((await fetch(`${running.authUrl}/me`)).status).toBe(404);
      expect((await fetch(`${running.apiUrl}/authorize`)).status).toBe(404);
      expect((await fetch(`${running.authUrl}/authorize`)).status).toBe(400);
    } finally {
      await running.close();
    }
  });

  it("on one port authUrl equals apiUrl", async () => {
    const running = await startAtlassianEmulator();
    await running.close();
    expect(running.authUrl).toBe(running.apiUrl);
    expect(running.controlUrl).toBe(`${running.authUrl}/__emulator`);
  });
});
