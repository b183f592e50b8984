import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig, parseTrustProxy } from "../config.js";
import { clientAddress } from "./client-ip.js";

const trust = (value: string) => parseTrustProxy(value, []);

describe("the client address behind proxies (FOYER_TRUST_PROXY)", () => {
  it("takes the socket's peer when no proxy is trusted, whatever X-Forwarded-For says", () => {
    expect(clientAddress("203.0.113.1", "198.51.100.9", undefined)).toBe("203.0.113.1");
    expect(clientAddress("::ffff:203.0.113.1", undefined, undefined)).toBe("203.0.113.1");
  });

  it("with one hop takes the right-most entry (written by the proxy), not the left-most", () => {
    for (const value of ["1", "true"]) {
      expect(clientAddress("10.0.0.1", "6.6.6.6, 198.51.100.9", trust(value))).toBe("198.51.100.9");
    }
    expect(clientAddress("10.0.0.1", undefined, trust("1"))).toBe("10.0.0.1");
  });

  it("with N hops takes the entry N proxies in", () => {
    // client → proxy 10.0.0.2 → proxy 10.0.0.1 (the peer) → Foyer
    expect(clientAddress("10.0.0.1", "6.6.6.6, 198.51.100.9, 10.0.0.2", trust("2"))).toBe("198.51.100.9");
    // Fewer entries than hops: the left-most there is.
    expect(clientAddress("10.0.0.1", "198.51.100.9", trust("3"))).toBe("198.51.100.9");
  });

  it("with a list of proxies walks from the peer leftwards to the first untrusted address", () => {
    const proxies = trust("10.0.0.0/8, 192.0.2.10, fd00::/8, ::1");
    expect(clientAddress("10.0.0.1", "6.6.6.6, 198.51.100.9, 192.0.2.10", proxies)).toBe("198.51.100.9");
    expect(clientAddress("::1", "2001:db8::7, fd00::5", proxies)).toBe("2001:db8::7");
    expect(clientAddress("10.1.2.3", "[2001:db8::8]:443, 10.9.9.9:8080", proxies)).toBe("2001:db8::8");
    // A peer that is not a trusted proxy is the client: its X-Forwarded-For is the client's own words.
    expect(clientAddress("198.51.100.50", "10.0.0.5, 6.6.6.6", proxies)).toBe("198.51.100.50");
    // Only proxies: the left-most hop.
    expect(clientAddress("10.0.0.1", "10.0.0.9", proxies)).toBe("10.0.0.9");
  });

  it("counts an in-process request (no socket) as coming from the nearest trusted proxy", () => {
    expect(clientAddress(undefined, "6.6.6.6, 198.51.100.9", trust("1"))).toBe("198.51.100.9");
    expect(clientAddress(undefined, undefined, trust("1"))).toBeUndefined();
  });

  it("accepts the documented forms and refuses anything else at start-up, by name", () => {
    expect(trust("")).toBeUndefined();
    expect(trust("0")).toBeUndefined();
    expect(trust("false")).toBeUndefined();
    expect(trust("true")).toEqual({ hops: 1 });
    expect(trust("3")).toEqual({ hops: 3 });
    expect(trust("10.0.0.0/8,2001:db8::/32")).toEqual({ proxies: ["10.0.0.0/8", "2001:db8::/32"] });
    for (const bad of ["yes", "10.0.0.0/33", "fd00::/129", "10.0.0.0/8,", "proxy.internal", "99"]) {
      let err: unknown;
      try {
        loadConfig({ FOYER_TRUST_PROXY: bad });
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems.join("\n")).toContain("FOYER_TRUST_PROXY");
    }
    expect(() => loadConfig({ FOYER_REDIS_URL: "http://127.0.0.1:6379" })).toThrow(/FOYER_REDIS_URL/);
  });
});

// Over a real socket: the bucket is the client the proxy saw, whatever the client wrote before it.
describe("rate-limit buckets behind a proxy", () => {
  let foyer: TestFoyer;
  let instanceId: string;
  beforeAll(async () => {
    foyer = await createTestFoyer("sqlite", {
      listen: true,
      env: { FOYER_RATE_LIMIT_FRONTEND_PER_MINUTE: "3", FOYER_TRUST_PROXY: "127.0.0.1, 10.0.0.0/8" },
    });
    const app = await (
      await foyer.platform("/applications", { method: "POST", json: { name: "Proxied" } })
    ).json();
    instanceId = app.instances[0].id;
  });
  afterAll(() => foyer.close());

  const jwks = (forwardedFor: string) =>
    fetch(`${foyer.svc.config.publicUrl}/fapi/${instanceId}/.well-known/jwks.json`, {
      headers: { "x-forwarded-for": forwardedFor },
    });

  it("gives no fresh bucket for a rotated left-most entry, and ignores spoofed entries", async () => {
    const statuses: number[] = [];
    // The same client behind two proxies, rotating what it writes itself.
    for (let i = 0; i < 5; i++) statuses.push((await jwks(`6.6.6.${i}, 198.51.100.9, 10.0.0.2`)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    // Another real client through the same proxies still has its bucket.
    expect((await jwks("6.6.6.0, 198.51.100.10, 10.0.0.2")).status).toBe(200);
  });
});
