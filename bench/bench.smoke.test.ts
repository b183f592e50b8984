/**
 * The benchmark harness works: `node bench/run.js --smoke` (tiny durations, a few hundred users)
 * starts and stops its servers, measures every item, prints the table and writes its JSON. Speed
 * is not checked here; `npm run bench` measures it.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "foyer-bench-smoke-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm run bench --smoke", () => {
  it("measures every item and writes the JSON", { timeout: 240_000 }, async () => {
    const out = join(dir, "latest.json");
    const { stdout } = await run(process.execPath, ["bench/run.js", "--smoke", "--out", out], {
      cwd: join(dirname(fileURLToPath(import.meta.url)), ".."),
      timeout: 230_000,
    });
    const results = JSON.parse(readFileSync(out, "utf8"));
    expect(results.mode).toBe("smoke");

    expect(Object.keys(results.verify.ops).sort()).toEqual([
      "clerk",
      "foyer",
      "jose",
      "mcp",
      "raw",
      "raw_mcp",
    ]);
    expect(results.hello.rps).toBeGreaterThan(0);
    expect(results.webhooks.delivered).toBeGreaterThan(0);
    expect(results.webhooks.updates_with_event_per_second).toBeGreaterThan(0);
    const kinds = process.env.FOYER_TEST_DATABASE_URL ? ["sqlite", "postgres"] : ["sqlite"];
    for (const kind of kinds) {
      const hooked = results.webhook_sign_ins[kind];
      expect(hooked.with_endpoint.completed).toBeGreaterThan(0);
      expect(hooked.with_endpoint.deliveries).toBeGreaterThan(0);
      expect(hooked.without_endpoint.completed).toBeGreaterThan(0);
      const r = results[kind];
      expect(r.sign_ins.completed).toBeGreaterThan(0);
      expect(r.sign_ins.foyer_cpu_ms_per_sign_in).toBeGreaterThan(0);
      expect(r.mint.rps).toBeGreaterThan(0);
      expect(r.mint.raw_sign_per_second).toBeGreaterThan(0);
      expect(r.tokens.rps).toBeGreaterThan(0);
      expect(r.oauth_refresh.rps).toBeGreaterThan(0);
      expect(r.scale.workers_1.rps).toBeGreaterThan(0);
      expect(r.scale.workers_2.rps).toBeGreaterThan(0);
      expect(r.idle_rss_mib).toBeGreaterThan(0);
      expect(r.rss_after_load_mib).toBeGreaterThan(0);
    }
    if (results.postgres) expect(results.postgres.users_list.big.list.p99).toBeGreaterThan(0);

    // Every row has a ratio to its baseline, and the table shows the targets with ✓/✗.
    for (const row of results.rows) expect(row.ratio).toBeGreaterThan(0);
    expect(stdout).toMatch(/≥ 0\.7×/);
    expect(stdout).toMatch(/[✓✗]/);
    expect(stdout).toContain("sign-ins, 1 webhook endpoint (all events)");
  });
});
