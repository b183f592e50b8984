import { formBody, openSignInForm, publicOrigin } from "@foyer/testkit/dashboard-client";
import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_INSTANCE, securityEventCounts } from "../../events/security-events.js";
import { PLATFORM_TOKEN_FAILURES_PER_MINUTE } from "../auth.js";

const SOURCE = "198.51.100.44";

describe.each(DB_KINDS)("wrong platform tokens at the dashboard sign-in (%s)", (kind) => {
  let foyer: TestFoyer;
  beforeAll(async () => {
    foyer = await createTestFoyer(kind, { env: { FOYER_TRUST_PROXY: "1" } });
  });
  afterAll(() => foyer.close());

  async function signIn(token: string, source = SOURCE) {
    const form = await openSignInForm(foyer);
    return foyer.request("/dashboard/sign-in", {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        cookie: form.cookie,
        origin: publicOrigin(foyer),
        "x-forwarded-for": source,
      },
      body: formBody({ _csrf: form.formToken, platform_token: token }),
    });
  }
  const guessingCount = async () =>
    (await securityEventCounts(foyer.svc, NO_INSTANCE)).find((e) => e.kind === "platform_token_guessing")
      ?.count ?? 0;

  it("refuses a source with 429 and Retry-After once its failures are spent, the right token too", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < PLATFORM_TOKEN_FAILURES_PER_MINUTE + 2; i++) {
      statuses.push((await signIn(`wrong-token-${i}-000000000000000000000000`)).status);
    }
    expect(statuses.slice(0, PLATFORM_TOKEN_FAILURES_PER_MINUTE).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(PLATFORM_TOKEN_FAILURES_PER_MINUTE)).toEqual([429, 429]);
    const right = await signIn(foyer.platformToken);
    expect(right.status).toBe(429);
    expect(Number(right.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(right.headers.get("set-cookie") ?? "").not.toContain("foyer_dashboard=");
    expect(await right.text()).toContain("rate_limited");
    // One security event for the episode, and the same bucket as the Platform API's.
    expect(await guessingCount()).toBe(1);
    const api = await foyer.request("/platform/v1/applications", {
      headers: { authorization: `Bearer ${foyer.platformToken}`, "x-forwarded-for": SOURCE },
    });
    expect(api.status).toBe(429);
    // Another source signs in.
    expect((await signIn(foyer.platformToken, "203.0.113.45")).status).toBe(303);
  });

  it("lets the source in again once its bucket has refilled", async () => {
    foyer.advance(2 * 60_000);
    expect((await signIn(foyer.platformToken)).status).toBe(303);
  });
});
