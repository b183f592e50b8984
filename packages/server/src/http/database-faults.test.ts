/**
 * Foyer with its database stalled (connections open, no answers) or stopped (connections cut),
 * through a TCP proxy in front of PostgreSQL: coded, retryable 503s that answer while the fault
 * lasts, /readyz 503, a page (not JSON) for a browser on the OAuth callback, one logged stack per
 * kind of error, and service back without a restart.
 */
import { createTestDatabase, postgresUrl } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { createTestInstance } from "@foyer/testkit/instances";
import { startTcpProxy, type TcpProxy } from "@foyer/testkit/tcp-proxy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe.skipIf(!postgresUrl)("database faults (postgres, through a proxy)", () => {
  let proxy: TcpProxy;
  let foyer: TestFoyer;
  let secretKey: string;

  beforeAll(async () => {
    const real = await createTestDatabase("postgres");
    const url = new URL(real.url);
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.host = proxy.address;
    foyer = await createTestFoyer("postgres", {
      database: { ...real, url: url.href },
      env: { FOYER_DATABASE_TIMEOUT_MS: "1000", FOYER_RATE_LIMIT_BACKEND_PER_MINUTE: "0" },
    });
    ({ secretKey } = await createTestInstance(foyer));
  });
  afterAll(async () => {
    proxy.resume();
    proxy.start();
    await foyer?.close();
    await proxy?.close();
  });

  const users = () => foyer.request("/v1/users", { headers: { authorization: `Bearer ${secretKey}` } });

  async function expectUnavailable(res: Response) {
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("2");
    expect((await res.json()).errors[0].code).toBe("database_unavailable");
  }

  async function expectRecovered() {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const ready = await foyer.request("/readyz");
      if (ready.status === 200 && (await users()).status === 200) return;
      if (Date.now() > deadline) throw new Error(`not recovered: /readyz ${ready.status}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it("a stalled database answers 503 database_unavailable while it stalls, then recovers", async () => {
    expect((await users()).status).toBe(200);
    proxy.pause();
    let stalled = true;
    try {
      await expectUnavailable(await users());
      expect((await foyer.request("/readyz")).status).toBe(503);
      // It answered during the stall, not when the stall ended.
      expect(stalled).toBe(true);
    } finally {
      stalled = false;
      proxy.resume();
    }
    await expectRecovered();
  });

  it("a stopped database answers 503s, /readyz 503 and a page on the OAuth callback, then recovers", async () => {
    proxy.stop();
    try {
      for (let i = 0; i < 20; i++) await expectUnavailable(await users());
      expect((await foyer.request("/readyz")).status).toBe(503);
      const callback = await foyer.request(`/v1/oauth_callback?state=${"s".repeat(43)}&code=y`);
      expect(callback.status).toBe(503);
      expect(callback.headers.get("content-type")).toContain("text/html");
      expect(await callback.text()).toContain("database_unavailable");
    } finally {
      proxy.start();
    }
    await expectRecovered();
    // Twenty-odd failures, one stack: the log is rate-limited per kind of error.
    const stacks = foyer
      .logs()
      .split("\n")
      .filter((line) => line.includes('"kind":"database_unavailable"'));
    expect(stacks.length).toBeGreaterThanOrEqual(1);
    expect(stacks.length).toBeLessThanOrEqual(2);
  });
});
