/**
 * The 429 and 503 faults of the API host, with Atlassian's rate-limit headers
 * (atlassian-3lo §9, §11 "Rate limits").
 */
import { bearer, DEMO_IDS, signIn, startTestEmulator } from "@foyer/testkit/emulator-client";
import { afterAll, beforeEach, describe, expect, it } from "vitest";

const running = await startTestEmulator();
afterAll(() => running.close());
beforeEach(() => running.control.reset());

const MYSELF = `/ex/jira/${DEMO_IDS.acme}/rest/api/3/myself`;

describe("product_429", () => {
  it("answers product calls with 429 and every rate-limit header, leaving /me alone", async () => {
    const { access_token: t } = await signIn(running, { cloudId: DEMO_IDS.acme });
    running.control.setFault("product_429", { count: 1, retryAfterSeconds: 30 });
    expect((await bearer(running, "/me", t)).status).toBe(200);
    const res = await bearer(running, MYSELF, t);
    expect(res.status).toBe(429);
    const h = Object.fromEntries(res.headers);
    expect(h).toMatchObject({
      "retry-after": "30",
      "x-ratelimit-limit": "100",
      "x-ratelimit-remaining": "0",
      "x-ratelimit-nearlimit": "true",
      "ratelimit-reason": "jira-burst-based",
      "beta-ratelimit-policy": '"burst-based";q=100;w=1',
      "beta-ratelimit": '"burst-based";r=0;t=30',
      "beta-retry-after": "30",
    });
    // ISO 8601, the request time plus Retry-After.
    expect(h["x-ratelimit-reset"]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/);
    const reset = Date.parse(h["x-ratelimit-reset"]!);
    expect(Math.abs(reset - (running.control.now() + 30_000))).toBeLessThan(2000);
    expect((await bearer(running, MYSELF, t)).status).toBe(200);
  });

  it("a quota reason comes with the hourly app pool's policy", async () => {
    const { access_token: t } = await signIn(running, { cloudId: DEMO_IDS.acme });
    await fetch(`${running.controlUrl}/faults`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        name: "product_429",
        on: { reason: "jira-quota-global-based", retryAfterSeconds: 600 },
      }),
    });
    const res = await bearer(running, MYSELF, t);
    expect(res.headers.get("ratelimit-reason")).toBe("jira-quota-global-based");
    expect(res.headers.get("beta-ratelimit-policy")).toBe('"global-app-quota";q=65000;w=3600');
  });

  it("X-RateLimit-Reset follows the emulator's clock", async () => {
    running.control.advanceClock(400 * 24 * 3600 * 1000);
    const { access_token: t } = await signIn(running, { cloudId: DEMO_IDS.acme });
    running.control.setFault("api_429", { count: 1, retryAfterSeconds: 5 });
    const res = await bearer(running, MYSELF, t);
    expect(Date.parse(res.headers.get("x-ratelimit-reset")!)).toBeGreaterThan(
      Date.now() + 399 * 24 * 3600 * 1000,
    );
  });
});

describe("product_503", () => {
  it("answers product calls with 503 and Retry-After", async () => {
    const { access_token: t } = await signIn(running, { cloudId: DEMO_IDS.acme });
    running.control.setFault("product_503", { count: 1, retryAfterSeconds: 12 });
    const res = await bearer(running, `/ex/confluence/${DEMO_IDS.acme}/wiki/api/v2/spaces`, t);
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("12");
    expect((await bearer(running, "/oauth/token/accessible-resources", t)).status).toBe(200);
  });
});
