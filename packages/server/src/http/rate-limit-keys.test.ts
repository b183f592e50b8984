import type { Context } from "hono";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../db/database.js";
import { migrateToLatest } from "../db/migrate.js";
import { SharedLimits } from "../limits/shared-limits.js";
import { sqlWindowStore } from "../limits/window-store.js";
import { createLogger } from "../log.js";
import { rateLimit, rateLimitKeyOfIp } from "./rate-limit.js";

describe("rate-limit keys and memory", () => {
  it.each([
    ["203.0.113.7", "203.0.113.7"],
    ["::ffff:203.0.113.7", "203.0.113.7"],
    ["2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"],
    ["2001:db8:1:2::1", "2001:db8:1:2::/64"],
    ["2001:DB8:0001:0002:ffff::9", "2001:db8:1:2::/64"],
    ["[2001:db8:1:2::7]", "2001:db8:1:2::/64"],
    ["fe80::1%eth0", "fe80:0:0:0::/64"],
    ["2001:db8::", "2001:db8:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
    ["64:ff9b::198.51.100.1", "64:ff9b:0:0::/64"],
  ])("%s counts against %s", (address, key) => {
    expect(rateLimitKeyOfIp(address)).toBe(key);
  });

  it("groups a /64's addresses into one bucket", () => {
    expect(rateLimitKeyOfIp("2001:db8:5:6::1")).toBe(rateLimitKeyOfIp("2001:db8:5:6:ffff:ffff:ffff:ffff"));
    expect(rateLimitKeyOfIp("2001:db8:5:6::1")).not.toBe(rateLimitKeyOfIp("2001:db8:5:7::1"));
  });

  it("keeps a flooding client's empty bucket when memory fills with other keys", async () => {
    let key = "flooder";
    const db = openDatabase(":memory:");
    await migrateToLatest(db);
    const limits = new SharedLimits(
      sqlWindowStore(db.kysely, "sqlite"),
      createLogger("silent"),
      () => 1_000,
      {
        start: false,
      },
    );
    const limit = rateLimit(limits.counter("test", 1), () => key);
    const call = () =>
      limit({} as Context, async () => {}).then(
        () => 200,
        (err: { status?: number }) => err.status ?? 500,
      );
    expect(await call()).toBe(200);
    expect(await call()).toBe(429);
    // 100 000 other clients (spoofed sources, or the flooder rotating addresses) fill the map…
    for (let i = 0; i < 100_001; i++) {
      key = `other-${i}`;
      if (i % 20_000 === 0) {
        key = "flooder";
        expect(await call()).toBe(429);
        key = `other-${i}`;
      }
      await call();
    }
    // …and the flooder, still busy, is still limited: only the least recently used went.
    key = "flooder";
    expect(await call()).toBe(429);
    await limits.close();
    await db.close();
  });
});
