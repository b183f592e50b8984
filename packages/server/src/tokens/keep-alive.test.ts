/**
 * Keep-alive: Atlassian expires a refresh token after 90 days without use (atlassian-3lo §3), so
 * every grant idle for FOYER_ATLASSIAN_KEEPALIVE_DAYS is refreshed by Foyer itself, and a grant
 * found dead on the way is flagged now (with its reason), not when the user comes back.
 */
import { DB_KINDS } from "@foyer/testkit/databases";
import { type GrantSuite, startGrantSuite } from "@foyer/testkit/grant-suite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keepGrantsAlive } from "./grant-health-jobs.js";
import { decryptTokens } from "./token-store.js";

const DAY_MS = 24 * 60 * 60 * 1000;

describe.each(DB_KINDS)("keep-alive (%s)", (kind) => {
  let s: GrantSuite;
  beforeAll(async () => {
    s = await startGrantSuite(kind, {
      emulator: { refreshLeewaySeconds: 0 },
      // 0.0001 days is 8.64 s.
      foyer: { env: { FOYER_ATLASSIAN_KEEPALIVE_DAYS: "0.0001" } },
    });
  });
  afterAll(() => s?.close());

  /** Moves Foyer's and Atlassian's clocks together. */
  const advanceBoth = (ms: number) => {
    s.foyer.advance(ms);
    s.te.emulator.control.advanceClock(ms);
  };
  const accountIdOf = async (externalAccountId: string) => (await s.row(externalAccountId)).provider_user_id;

  it("refreshes grants idle past the keep-alive age and flags a revoked one at once", async () => {
    const alive = await s.seed();
    const revoked = await s.seed();
    expect(await keepGrantsAlive(s.foyer.svc)).toEqual({ refreshed: 0, failed: 0 });

    s.foyer.advance(10_000);
    s.te.emulator.control.revokeGrant(s.te.clientId, await accountIdOf(revoked.externalAccountId));
    const before = await s.row(alive.externalAccountId);
    s.te.emulator.control.resetCounters();
    expect(await keepGrantsAlive(s.foyer.svc)).toEqual({ refreshed: 1, failed: 1 });
    expect(s.te.emulator.control.counters()).toMatchObject({ refreshes: 1, refreshFailures: 1 });

    const after = await s.row(alive.externalAccountId);
    expect(after.status).toBe("active");
    expect(after.token_version).toBe(before.token_version + 1);
    expect(after.last_refreshed_at).toBeGreaterThanOrEqual(before.last_refreshed_at! + 10_000);
    expect(after.last_refresh_error).toBeNull();
    expect(await s.worksAtAtlassian(decryptTokens(s.foyer.svc, after).accessToken!)).toBe(true);
    const user = await (await s.getUser(alive.userId)).json();
    expect(user.external_accounts[0].last_refreshed_at).toBe(after.last_refreshed_at);

    expect(await s.row(revoked.externalAccountId)).toMatchObject({
      status: "reauthorization_required",
      reauthorization_reason: "revoked",
      last_refresh_error: "oauth_reauthorization_required",
    });
    // A pass right after finds nothing to do: the refreshed grant is no longer idle.
    expect(await keepGrantsAlive(s.foyer.svc)).toEqual({ refreshed: 0, failed: 0 });
  });

  it("keeps a grant past Atlassian's 90 idle days; one it never reached is idle_expired", async () => {
    const kept = await s.seed();
    advanceBoth(60 * DAY_MS);
    await keepGrantsAlive(s.foyer.svc);
    advanceBoth(60 * DAY_MS);
    await keepGrantsAlive(s.foyer.svc);
    // 120 days since the consent, 60 since the last refresh: alive.
    const row = await s.row(kept.externalAccountId);
    expect(row.status).toBe("active");
    expect(await s.worksAtAtlassian(decryptTokens(s.foyer.svc, row).accessToken!)).toBe(true);

    // Every grant left alone for 91 days is dead at Atlassian; keep-alive says why.
    const forgotten = await s.seed();
    advanceBoth(91 * DAY_MS);
    await keepGrantsAlive(s.foyer.svc);
    for (const id of [kept.externalAccountId, forgotten.externalAccountId]) {
      expect(await s.row(id)).toMatchObject({
        status: "reauthorization_required",
        reauthorization_reason: "idle_expired",
      });
    }
  });
});
