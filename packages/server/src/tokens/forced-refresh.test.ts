/**
 * `POST /v1/users/{id}/oauth_access_tokens/oauth_atlassian/refresh`: a refresh now, fresh token
 * or not, in the same single flight as the normal read, and a repeat within FORCED_REUSE_MS
 * answered with the token just refreshed rather than another rotation.
 */
import { expireAccessToken } from "@foyer/testkit/atlassian-user";
import { DB_KINDS } from "@foyer/testkit/databases";
import { errorCodeOf, type GrantSuite, startGrantSuite } from "@foyer/testkit/grant-suite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FORCED_REUSE_MS } from "./stored-token.js";
import { decryptTokens } from "./token-store.js";

describe.each(DB_KINDS)("forced refresh (%s)", (kind) => {
  let s: GrantSuite;
  beforeAll(async () => {
    // Strict rotation: a second refresh from the same stored token would kill the grant.
    s = await startGrantSuite(kind, { emulator: { refreshLeewaySeconds: 0 } });
  });
  afterAll(() => s?.close());

  /**
   * A user signed in more than FORCED_REUSE_MS ago: a consent counts as a refresh for the reuse
   * window (its token is as fresh as a refresh's), so a forced refresh right after sign-in
   * hands out the consent's token.
   */
  const seedSettled = async () => {
    const seeded = await s.seed();
    s.foyer.advance(FORCED_REUSE_MS);
    return seeded;
  };

  const tokenOf = async (res: Response) => {
    expect(res.status).toBe(200);
    const items = (await res.json()) as Array<{ token: string | null }>;
    expect(items).toHaveLength(1);
    return items[0]!.token!;
  };

  it("refreshes a token that is still fresh, stores it, and the new token works", async () => {
    const { userId, externalAccountId, tokens } = await seedSettled();
    const before = await s.row(externalAccountId);
    s.te.emulator.control.resetCounters();
    const token = await tokenOf(await s.forceRefresh(userId));
    expect(token).not.toBe(tokens.access_token);
    expect(s.te.emulator.control.counters().refreshes).toBe(1);
    const after = await s.row(externalAccountId);
    expect(after.token_version).toBe(before.token_version + 1);
    expect(after.last_refreshed_at).toBeGreaterThan(before.last_refreshed_at!);
    expect(after.refresh_intent_at).toBeNull();
    expect(decryptTokens(s.foyer.svc, after).accessToken).toBe(token);
    expect(await s.worksAtAtlassian(token)).toBe(true);
    // A plain read hands out the forced one, without calling Atlassian.
    expect(await tokenOf(await s.getToken(userId))).toBe(token);
    expect(s.te.emulator.control.counters().refreshes).toBe(1);
  });

  it("a repeat within 5 s gets the token just refreshed; after 5 s it refreshes again", async () => {
    const { userId } = await seedSettled();
    s.te.emulator.control.resetCounters();
    const first = await tokenOf(await s.forceRefresh(userId));
    s.foyer.advance(4_000);
    expect(await tokenOf(await s.forceRefresh(userId))).toBe(first);
    expect(s.te.emulator.control.counters().refreshes).toBe(1);
    s.foyer.advance(2_000);
    const third = await tokenOf(await s.forceRefresh(userId));
    expect(third).not.toBe(first);
    expect(s.te.emulator.control.counters().refreshes).toBe(2);
    expect(await s.worksAtAtlassian(third)).toBe(true);
  });

  it("forced refreshes and reads at once share one refresh", async () => {
    const { userId, externalAccountId } = await seedSettled();
    await expireAccessToken(s.foyer, externalAccountId);
    s.te.emulator.control.resetCounters();
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? s.forceRefresh(userId) : s.getToken(userId))),
    );
    const tokens = new Set(await Promise.all(responses.map(tokenOf)));
    expect(tokens.size).toBe(1);
    expect(s.te.emulator.control.counters().refreshes).toBe(1);
    const [token] = tokens;
    expect(await s.worksAtAtlassian(token!)).toBe(true);
    expect((await s.row(externalAccountId)).status).toBe("active");
  });

  it("after the user revoked the app: 409 oauth_reauthorization_required, reason revoked, on the user too", async () => {
    const { userId, externalAccountId } = await seedSettled();
    const accountId = (await s.row(externalAccountId)).provider_user_id;
    s.te.emulator.control.revokeGrant(s.te.clientId, accountId);
    const res = await s.forceRefresh(userId);
    expect(res.status).toBe(409);
    const body = await res.json();
    expect(body.errors[0]).toMatchObject({
      code: "oauth_reauthorization_required",
      meta: { external_account_id: externalAccountId, reauthorization_reason: "revoked" },
    });
    const user = await (await s.getUser(userId)).json();
    expect(user.external_accounts[0]).toMatchObject({
      id: externalAccountId,
      status: "reauthorization_required",
      reauthorization_reason: "revoked",
      last_refresh_error: "oauth_reauthorization_required",
    });
    // Known dead now: the next read answers at once, without asking Atlassian.
    s.te.emulator.control.resetCounters();
    const again = await s.getToken(userId);
    expect(again.status).toBe(409);
    expect(await errorCodeOf(again)).toBe("oauth_reauthorization_required");
    expect(s.te.emulator.control.counters().refreshFailures).toBe(0);
  });
});
