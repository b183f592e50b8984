/**
 * What `npm start` leaves behind and prints, on a newcomer's first run (the built CLI it runs,
 * the example app included): the banner alone on stdout, plain text and in one piece; the JSON
 * logs alone on stderr; and everything under `.foyer/` private to Foyer's user (files 0600, the
 * folder 0700), the database's -wal and -shm files included.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { freshStart } from "@foyer/testkit/foyer-cli";
import { describe, expect, it } from "vitest";

function modes(dir: string): Record<string, string> {
  const found: Record<string, string> = { ".": (statSync(dir).mode & 0o777).toString(8) };
  for (const entry of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    found[entry] = (statSync(join(dir, entry)).mode & 0o777).toString(8);
  }
  return found;
}

describe("npm start's output and files", () => {
  it("prints the banner alone on stdout, logs JSON on stderr, and keeps .foyer/ private", async () => {
    const foyer = await freshStart({ LOG_LEVEL: "info" });
    try {
      const stdout = foyer.stdout().trimEnd().split("\n");
      // The banner, from its first line to its last, and nothing else: no log line in between.
      expect(stdout[0]).toMatch(/^Foyer is ready at http:\/\/localhost:\d+/);
      expect(stdout.at(-1)).toMatch(/^ {2}Open this first: {2}http:\/\/localhost:\d+/);
      for (const line of stdout) expect(line).not.toMatch(/^\s*\{/);
      // The example MCP server runs too, publishing the default instance as its authorization server.
      const mcpUrl = /^ {2}MCP server: {7}(http:\/\/localhost:\d+\/mcp) /m.exec(stdout.join("\n"))?.[1];
      expect(mcpUrl).toBeDefined();
      const mcp = new URL(mcpUrl!);
      const meta = await (await fetch(`${mcp.origin}/.well-known/oauth-protected-resource/mcp`)).json();
      expect(meta).toMatchObject({
        resource: mcpUrl,
        authorization_servers: [expect.stringMatching(/\/fapi\/ins_/)],
      });
      const logs = foyer.stderr().split("\n").filter(Boolean);
      expect(logs.length).toBeGreaterThan(0);
      for (const line of logs) expect(JSON.parse(line)).toMatchObject({ service: "foyer" });

      const running = modes(foyer.dataDir);
      expect(Object.keys(running).sort()).toEqual(
        [".", "encryption.key", "foyer.db", "foyer.db-shm", "foyer.db-wal", "platform-token"].sort(),
      );
      for (const [name, mode] of Object.entries(running)) {
        expect({ name, mode }).toEqual({ name, mode: name === "." ? "700" : "600" });
      }
    } finally {
      foyer.child.kill("SIGTERM");
    }
    expect(await foyer.exited).toBe(0);
    for (const [name, mode] of Object.entries(modes(foyer.dataDir))) {
      expect({ name, mode }).toEqual({ name, mode: name === "." ? "700" : "600" });
    }
  });
});
