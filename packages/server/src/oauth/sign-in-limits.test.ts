import { DB_KINDS } from "@foyer/testkit/databases";
import {
  browserRequest,
  CookieJar,
  createEmulatedFoyer,
  type EmulatedFoyer,
} from "@foyer/testkit/emulated-foyer";
import { createTestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe.each(DB_KINDS)("sign-in flood brakes (%s)", (kind) => {
  let pendingCapped: EmulatedFoyer;
  let rateCapped: EmulatedFoyer;

  beforeAll(async () => {
    pendingCapped = await createEmulatedFoyer(kind, {
      env: { FOYER_MAX_PENDING_SIGN_INS_PER_INSTANCE: "3" },
    });
    rateCapped = await createEmulatedFoyer(kind, {
      env: { FOYER_RATE_LIMIT_SIGN_IN_STARTS_PER_INSTANCE_PER_MINUTE: "2" },
    });
  });
  afterAll(async () => {
    await pendingCapped.close();
    await rateCapped.close();
  });

  const start = (foyer: EmulatedFoyer, instanceId: string) =>
    browserRequest(foyer, new CookieJar(), `/fapi/${instanceId}/v1/client/sign_ins`, {
      method: "POST",
      json: { strategy: "oauth_atlassian" },
    });

  async function expectLimited(res: Response, maxRetryAfter: number) {
    expect(res.status).toBe(429);
    expect((await res.json()).errors[0].code).toBe("rate_limited");
    const retryAfter = Number(res.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(maxRetryAfter);
  }

  it("caps pending sign-ins per instance, until they expire; other instances are not affected", async () => {
    const a = await createTestInstance(pendingCapped);
    const b = await createTestInstance(pendingCapped);
    for (let i = 0; i < 3; i++) expect((await start(pendingCapped, a.id)).status).toBe(200);
    await expectLimited(await start(pendingCapped, a.id), 600);
    expect((await start(pendingCapped, b.id)).status).toBe(200);
    pendingCapped.advance(10 * 60 * 1000 + 1);
    expect((await start(pendingCapped, a.id)).status).toBe(200);
  });

  it("caps sign-in starts per instance per minute", async () => {
    const a = await createTestInstance(rateCapped);
    const b = await createTestInstance(rateCapped);
    expect((await start(rateCapped, a.id)).status).toBe(200);
    expect((await start(rateCapped, a.id)).status).toBe(200);
    await expectLimited(await start(rateCapped, a.id), 60);
    expect((await start(rateCapped, b.id)).status).toBe(200);
    rateCapped.advance(61_000);
    expect((await start(rateCapped, a.id)).status).toBe(200);
  });
});
