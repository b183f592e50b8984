/**
 * The refresh journal: a refresh whose answer never came back (Atlassian rotated, Foyer never
 * heard) leaves `refresh_intent_at`, and the recovery pass retries it with no app request: within
 * Atlassian's reuse leeway the grant survives, past it the account says `refresh_lost` rather
 * than staying active with a dead token. And a rotated token whose write the database refused
 * is written again once it answers.
 */
import { expireAccessToken } from "@foyer/testkit/atlassian-user";
import { DB_KINDS } from "@foyer/testkit/databases";
import { errorCodeOf, eventually, type GrantSuite, startGrantSuite } from "@foyer/testkit/grant-suite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recoverLostRefreshes } from "./grant-health-jobs.js";
import { LEASE_MS, MAX_BACKOFF_SECONDS } from "./refresh-lease.js";
import { decryptTokens } from "./token-store.js";

/** Foyer gives up on Atlassian after this; small so a dropped answer costs the test a second. */
const TIMEOUT_MS = 1_000;

/** Seeds a user and loses the answer of its next refresh: Atlassian rotated, Foyer has nothing. */
async function loseRefreshAnswer(s: GrantSuite) {
  const seeded = await s.seed();
  await expireAccessToken(s.foyer, seeded.externalAccountId);
  const before = await s.row(seeded.externalAccountId);
  s.te.emulator.control.resetCounters();
  s.te.emulator.control.setFault("token_drop_after_rotate", { count: 1 });
  const res = await s.getToken(seeded.userId);
  expect(res.status).toBe(503);
  expect(await errorCodeOf(res)).toBe("oauth_provider_unavailable");
  expect(s.te.emulator.control.counters().refreshes).toBe(1);
  const journalled = await s.row(seeded.externalAccountId);
  expect(journalled.refresh_intent_at).not.toBeNull();
  expect(journalled.token_version).toBe(before.token_version);
  expect(journalled.status).toBe("active");
  return { ...seeded, before };
}

describe.each(DB_KINDS)("refresh journal, Atlassian's 10-minute leeway (%s)", (kind) => {
  let s: GrantSuite;
  beforeAll(async () => {
    s = await startGrantSuite(kind, { atlassian: { timeoutMs: TIMEOUT_MS } });
  });
  afterAll(() => s?.close());

  it("a lost answer is retried by the recovery pass, with no app request, and the grant lives", async () => {
    const { userId, externalAccountId, before } = await loseRefreshAnswer(s);
    // Not while the refresh could still be under way (its lease, then its back-off).
    expect(await recoverLostRefreshes(s.foyer.svc)).toEqual({ refreshed: 0, failed: 0 });
    s.foyer.advance(LEASE_MS + MAX_BACKOFF_SECONDS * 1000);
    expect(await recoverLostRefreshes(s.foyer.svc)).toEqual({ refreshed: 1, failed: 0 });
    expect(s.te.emulator.control.counters().refreshes).toBe(2);

    const after = await s.row(externalAccountId);
    expect(after).toMatchObject({ status: "active", refresh_intent_at: null, reauthorization_reason: null });
    expect(after.token_version).toBe(before.token_version + 1);
    const stored = decryptTokens(s.foyer.svc, after);
    expect(await s.worksAtAtlassian(stored.accessToken!)).toBe(true);
    // The app's next request is served from the store.
    const res = await s.getToken(userId);
    expect(res.status).toBe(200);
    expect((await res.json())[0].token).toBe(stored.accessToken);
    expect(s.te.emulator.control.counters().refreshes).toBe(2);
    // And the recovered refresh token is the live one: the next refresh works.
    s.foyer.advance(10_000);
    expect((await s.forceRefresh(userId)).status).toBe(200);
    expect(s.te.emulator.control.counters().refreshes).toBe(3);
  });
});

describe.each(DB_KINDS)("refresh journal, no leeway (%s)", (kind) => {
  let s: GrantSuite;
  beforeAll(async () => {
    s = await startGrantSuite(kind, {
      emulator: { refreshLeewaySeconds: 0 },
      atlassian: { timeoutMs: TIMEOUT_MS },
      foyer: { env: { FOYER_ATLASSIAN_REFRESH_LEEWAY_SECONDS: "0" } },
    });
  });
  afterAll(() => s?.close());

  it("a lost answer past the leeway: the retry is refused and the account says refresh_lost", async () => {
    const { userId, externalAccountId } = await loseRefreshAnswer(s);
    s.foyer.advance(LEASE_MS + MAX_BACKOFF_SECONDS * 1000);
    expect(await recoverLostRefreshes(s.foyer.svc)).toEqual({ refreshed: 0, failed: 1 });
    const after = await s.row(externalAccountId);
    expect(after).toMatchObject({
      status: "reauthorization_required",
      reauthorization_reason: "refresh_lost",
      refresh_intent_at: null,
      refresh_token_enc: null,
    });
    const res = await s.getToken(userId);
    expect(res.status).toBe(409);
    expect((await res.json()).errors[0]).toMatchObject({
      code: "oauth_reauthorization_required",
      meta: { reauthorization_reason: "refresh_lost" },
    });
    const user = await (await s.getUser(userId)).json();
    expect(user.external_accounts[0]).toMatchObject({
      status: "reauthorization_required",
      reauthorization_reason: "refresh_lost",
    });
  });

  it("a rotated token whose write failed is written when the database answers, with no app request", async () => {
    // Past any circuit or back-off an earlier test's Atlassian failure left behind.
    s.foyer.advance(MAX_BACKOFF_SECONDS * 1000);
    const { userId, externalAccountId } = await s.seed();
    await expireAccessToken(s.foyer, externalAccountId);
    const before = await s.row(externalAccountId);
    let failures = 0;
    s.foyer.svc.faults = {
      beforeStoreRotated: () => {
        if (failures++ === 0) throw new Error("injected: the database refused the write");
      },
    };
    try {
      s.te.emulator.control.resetCounters();
      const res = await s.getToken(userId);
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(await errorCodeOf(res)).toBe("database_unavailable");
      const stored = await eventually(async () => {
        const row = await s.row(externalAccountId);
        return row.token_version > before.token_version ? row : undefined;
      }, "the rotated tokens to be stored");
      expect(failures).toBeGreaterThanOrEqual(2);
      expect(stored).toMatchObject({ status: "active", refresh_intent_at: null, refresh_lock_owner: null });
      // One rotation at Atlassian: the retry wrote the tokens it had, it did not refresh again.
      expect(s.te.emulator.control.counters().refreshes).toBe(1);
      const token = decryptTokens(s.foyer.svc, stored).accessToken!;
      expect(await s.worksAtAtlassian(token)).toBe(true);
      const again = await s.getToken(userId);
      expect(again.status).toBe(200);
      expect((await again.json())[0].token).toBe(token);
      // With no leeway, only the stored (rotated) refresh token works: prove it is the one kept.
      s.foyer.advance(10_000);
      expect((await s.forceRefresh(userId)).status).toBe(200);
      expect(s.te.emulator.control.counters().refreshes).toBe(2);
    } finally {
      s.foyer.svc.faults = undefined;
    }
  });
});
