/**
 * One user, several Atlassian accounts: each account's token stands alone in the answer. A dead
 * grant is an item with `token: null` and its own error; the request fails only when every
 * account fails.
 */
import {
  connectAtlassianAccount,
  expireAccessToken,
  newEmulatorAccount,
} from "@foyer/testkit/atlassian-user";
import { DB_KINDS } from "@foyer/testkit/databases";
import { errorCodeOf, type GrantSuite, startGrantSuite } from "@foyer/testkit/grant-suite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe.each(DB_KINDS)("oauth_access_tokens for a user with two Atlassian accounts (%s)", (kind) => {
  let s: GrantSuite;
  beforeAll(async () => {
    s = await startGrantSuite(kind, { emulator: { refreshLeewaySeconds: 0 } });
  });
  afterAll(() => s?.close());

  /** A user whose second Atlassian account was connected as the callback of "connect" does it. */
  async function userWithTwoAccounts() {
    const first = await s.seed();
    const secondAccountId = newEmulatorAccount(s.te, "Second Login");
    const second = await connectAtlassianAccount(s.foyer, s.te, {
      instanceId: s.instanceId,
      userId: first.userId,
      accountId: secondAccountId,
    });
    const firstAccountId = (await s.row(first.externalAccountId)).provider_user_id;
    return {
      userId: first.userId,
      accounts: [
        { id: first.externalAccountId, atlassianId: firstAccountId },
        { id: second.externalAccountId, atlassianId: secondAccountId },
      ],
    };
  }

  it("answers 200 with a token for the live grant and an error item for the revoked one", async () => {
    const { userId, accounts } = await userWithTwoAccounts();
    const [live, revoked] = accounts as [(typeof accounts)[0], (typeof accounts)[0]];
    s.te.emulator.control.revokeGrant(s.te.clientId, revoked.atlassianId);
    // Both must be refreshed, so Atlassian gets to say which grant is dead.
    for (const a of accounts) await expireAccessToken(s.foyer, a.id);

    const res = await s.getToken(userId);
    expect(res.status).toBe(200);
    const items = (await res.json()) as Array<Record<string, unknown>>;
    expect(items).toHaveLength(2);
    const byId = new Map(items.map((item) => [item.external_account_id, item]));
    const good = byId.get(live.id)!;
    expect(good).toMatchObject({ object: "oauth_access_token", status: "active" });
    expect(typeof good.token).toBe("string");
    expect(await s.worksAtAtlassian(good.token as string)).toBe(true);
    expect(byId.get(revoked.id)).toMatchObject({
      object: "oauth_access_token",
      provider_user_id: revoked.atlassianId,
      token: null,
      status: "reauthorization_required",
      reauthorization_reason: "revoked",
      error: { code: "oauth_reauthorization_required" },
    });
    expect((await s.row(revoked.id)).status).toBe("reauthorization_required");
    expect((await s.row(live.id)).status).toBe("active");

    // The paginated shape carries the same items.
    const paged = await s.foyer.request(
      `/v1/users/${userId}/oauth_access_tokens/oauth_atlassian?paginated=true`,
      {
        headers: { authorization: `Bearer ${s.secretKey}` },
      },
    );
    expect(await paged.json()).toMatchObject({ total_count: 2 });
  });

  it("fails with the accounts' error only when every account fails", async () => {
    const { userId, accounts } = await userWithTwoAccounts();
    for (const a of accounts) {
      s.te.emulator.control.revokeGrant(s.te.clientId, a.atlassianId);
      await expireAccessToken(s.foyer, a.id);
    }
    const res = await s.getToken(userId);
    expect(res.status).toBe(409);
    expect(await errorCodeOf(res)).toBe("oauth_reauthorization_required");
    for (const a of accounts) expect((await s.row(a.id)).reauthorization_reason).toBe("revoked");
    // A forced refresh says the same, without asking Atlassian again.
    s.te.emulator.control.resetCounters();
    const forced = await s.forceRefresh(userId);
    expect(forced.status).toBe(409);
    expect(s.te.emulator.control.counters().refreshFailures).toBe(0);
  });
});
