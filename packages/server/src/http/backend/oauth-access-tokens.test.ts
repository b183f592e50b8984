import {
  dumpAllTables,
  expireAccessToken,
  newEmulatorAccount,
  seedAtlassianUser,
  startTokenEmulator,
  type TokenEmulator,
} from "@foyer/testkit/atlassian-user";
import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { createTestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptTokens } from "../../tokens/token-store.js";

describe.each(DB_KINDS)("Atlassian tokens for the app's backend (%s)", (kind) => {
  let te: TokenEmulator;
  let foyer: TestFoyer;
  let instanceId: string;
  let secretKey: string;
  /** Every token and secret this suite saw, for the final grep of the database and logs. */
  const seen = new Set<string>();

  beforeAll(async () => {
    // Strict rotation: a rotated-out refresh token is dead at once, so any lost rotation shows.
    te = await startTokenEmulator({ refreshLeewaySeconds: 0 });
    foyer = await createTestFoyer(kind, { atlassian: te.atlassian });
    ({ id: instanceId, secretKey } = await createTestInstance(foyer));
    seen.add(te.clientSecret);
  });
  afterAll(async () => {
    await foyer?.close();
    await te?.emulator.close();
  });

  const auth = () => ({ authorization: `Bearer ${secretKey}` });
  const tokenPath = (userId: string) => `/v1/users/${userId}/oauth_access_tokens/oauth_atlassian`;
  const getToken = (userId: string, f: TestFoyer = foyer) =>
    f.request(tokenPath(userId), { headers: auth() });

  async function seed(scopes?: string[]) {
    const seeded = await seedAtlassianUser(foyer, te, {
      instanceId,
      accountId: newEmulatorAccount(te),
      ...(scopes ? { scopes } : {}),
    });
    seen.add(seeded.tokens.access_token);
    if (seeded.tokens.refresh_token) seen.add(seeded.tokens.refresh_token);
    return seeded;
  }
  const row = (id: string) =>
    foyer.svc.db.kysely
      .selectFrom("external_accounts")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
  const errorCode = async (res: Response) =>
    ((await res.json()) as { errors: Array<{ code: string }> }).errors[0]!.code;

  it("returns the stored token in Clerk's shape with sites and API base URLs, never cached", async () => {
    const { userId, externalAccountId, tokens } = await seed();
    te.emulator.control.resetCounters();
    const res = await getToken(userId);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const text = await res.text();
    expect(text).not.toContain(tokens.refresh_token!);
    const [item, ...others] = JSON.parse(text);
    expect(others).toEqual([]);
    expect(item).toMatchObject({
      object: "oauth_access_token",
      external_account_id: externalAccountId,
      provider: "oauth_atlassian",
      token: tokens.access_token,
      scopes: tokens.scope.split(" "),
      status: "active",
      public_metadata: {},
      label: "Acme",
    });
    expect(item.expires_at).toBeGreaterThan(Date.now() / 1000 + 3000);
    expect(item.sites).toHaveLength(1);
    expect(item.sites[0].api_base_urls).toEqual({
      jira: `${te.emulator.apiUrl}/ex/jira/${item.sites[0].id}`,
      confluence: `${te.emulator.apiUrl}/ex/confluence/${item.sites[0].id}`,
    });
    // The token works against the site's Jira through the gateway URL Foyer handed out.
    const jira = await fetch(`${item.sites[0].api_base_urls.jira}/rest/api/3/myself`, {
      headers: { authorization: `Bearer ${item.token}` },
    });
    expect(jira.status).toBe(200);
    expect(te.emulator.control.counters().refreshes).toBe(0);

    const paginated = await foyer.request(`${tokenPath(userId)}?paginated=true`, { headers: auth() });
    expect(await paginated.json()).toMatchObject({ total_count: 1, data: [{ token: tokens.access_token }] });
  });

  it("refreshes a token within 60 s of expiry once for 20 concurrent requests, storing the rotation first", async () => {
    const { userId, externalAccountId, tokens } = await seed();
    const before = await row(externalAccountId);
    // 30 s left: inside the freshness window, so it is refreshed before it is handed out.
    foyer.advance(3600_000 - 30_000);
    te.emulator.control.resetCounters();
    const responses = await Promise.all(Array.from({ length: 20 }, () => getToken(userId)));
    const bodies = await Promise.all(responses.map((r) => r.json()));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    const issued = new Set(bodies.map((b) => b[0].token));
    expect(issued.size).toBe(1);
    const [fresh] = issued;
    expect(fresh).not.toBe(tokens.access_token);
    seen.add(fresh);
    expect(te.emulator.control.counters().refreshes).toBe(1);

    const after = await row(externalAccountId);
    expect(after.token_version).toBe(before.token_version + 1);
    expect(after.refresh_lock_owner).toBeNull();
    const stored = decryptTokens(foyer.svc, after);
    expect(stored.accessToken).toBe(fresh);
    expect(stored.refreshToken).not.toBe(tokens.refresh_token);
    seen.add(stored.refreshToken!);

    // The stored refresh token is the rotated one: in strict mode the next refresh only works with it.
    foyer.advance(3600_000);
    const again = await getToken(userId);
    expect(again.status).toBe(200);
    seen.add((await again.json())[0].token);
    seen.add(decryptTokens(foyer.svc, await row(externalAccountId)).refreshToken!);
    expect(te.emulator.control.counters().refreshes).toBe(2);
  });

  it("single-flights across two Foyer servers sharing the database", async () => {
    const second = await createTestFoyer(kind, {
      database: foyer.database,
      encryptionKey: foyer.encryptionKey,
      atlassian: te.atlassian,
      // Two processes of one deployment share one time; earlier tests moved foyer's clock.
      now: foyer.svc.now,
    });
    try {
      const { userId, externalAccountId } = await seed();
      await expireAccessToken(foyer, externalAccountId);
      te.emulator.control.resetCounters();
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) => getToken(userId, i % 2 ? second : foyer)),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
      const issued = new Set((await Promise.all(responses.map((r) => r.json()))).map((b) => b[0].token));
      expect(issued.size).toBe(1);
      for (const t of issued) seen.add(t);
      expect(te.emulator.control.counters().refreshes).toBe(1);
      seen.add(decryptTokens(foyer.svc, await row(externalAccountId)).refreshToken!);
    } finally {
      await second.close();
    }
  });

  it("keeps the stored refresh token when Atlassian's response leaves it out", async () => {
    const { userId, externalAccountId, tokens } = await seed();
    await expireAccessToken(foyer, externalAccountId);
    te.emulator.control.setFault("refresh_without_refresh_token", { count: 1 });
    const res = await getToken(userId);
    expect(res.status).toBe(200);
    seen.add((await res.json())[0].token);
    expect(decryptTokens(foyer.svc, await row(externalAccountId)).refreshToken).toBe(tokens.refresh_token);
    // And it still works for the next refresh.
    await expireAccessToken(foyer, externalAccountId);
    const next = await getToken(userId);
    expect(next.status).toBe(200);
    seen.add((await next.json())[0].token);
    seen.add(decryptTokens(foyer.svc, await row(externalAccountId)).refreshToken!);
  });

  it("flags a dead grant (invalid_grant) for re-authorization once, keeping user and sessions", async () => {
    const { userId, externalAccountId } = await seed();
    const account = await row(externalAccountId);
    te.emulator.control.revokeGrant(te.clientId, account.provider_user_id);
    await expireAccessToken(foyer, externalAccountId);
    te.emulator.control.resetCounters();
    const res = await getToken(userId);
    expect(res.status).toBe(409);
    expect(await errorCode(res)).toBe("oauth_reauthorization_required");
    expect(te.emulator.control.counters().refreshFailures).toBe(1);

    const after = await row(externalAccountId);
    expect(after.status).toBe("reauthorization_required");
    expect(after.refresh_token_enc).toBeNull();
    const user = await (await foyer.request(`/v1/users/${userId}`, { headers: auth() })).json();
    expect(user.external_accounts[0].status).toBe("reauthorization_required");

    // Later calls answer the same without asking Atlassian again.
    const again = await getToken(userId);
    expect(await errorCode(again)).toBe("oauth_reauthorization_required");
    expect(te.emulator.control.counters().refreshFailures).toBe(1);
  });

  it("treats an unknown refresh token (unauthorized_client) as a dead grant too", async () => {
    const { userId, externalAccountId } = await seed();
    const { encryptToken } = await import("../../tokens/token-store.js");
    await foyer.svc.db.kysely
      .updateTable("external_accounts")
      .set({
        refresh_token_enc: encryptToken(foyer.svc, externalAccountId, "refresh_token", "not-a-real-token"),
      })
      .where("id", "=", externalAccountId)
      .execute();
    await expireAccessToken(foyer, externalAccountId);
    const res = await getToken(userId);
    expect(res.status).toBe(409);
    expect(await errorCode(res)).toBe("oauth_reauthorization_required");
  });

  it("answers oauth_missing_refresh_token for an expired token granted without offline_access", async () => {
    const { userId, externalAccountId, tokens } = await seed(["read:me", "read:jira-work"]);
    expect(tokens.refresh_token).toBeUndefined();
    // Inside the freshness window but not expired: still handed out, there is no way to refresh it.
    foyer.advance(3600_000 - 30_000);
    const soon = await getToken(userId);
    expect(soon.status).toBe(200);
    await expireAccessToken(foyer, externalAccountId);
    const res = await getToken(userId);
    expect(res.status).toBe(409);
    expect(await errorCode(res)).toBe("oauth_missing_refresh_token");
  });

  it("answers 503 with Retry-After on an Atlassian outage, tokens untouched, no retry storm", async () => {
    const { userId, externalAccountId } = await seed();
    await expireAccessToken(foyer, externalAccountId);
    const before = await row(externalAccountId);
    te.emulator.control.resetCounters();
    te.emulator.control.setFault("token_5xx", { count: 1, retryAfterSeconds: 7 });
    const responses = await Promise.all(Array.from({ length: 5 }, () => getToken(userId)));
    for (const res of responses) {
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("7");
      expect(await errorCode(res)).toBe("oauth_provider_unavailable");
    }
    // A request during the back-off shares the failure instead of calling Atlassian again.
    const during = await getToken(userId);
    expect(during.status).toBe(503);
    expect(Number(during.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(te.emulator.control.counters().refreshFailures).toBe(1);
    const after = await row(externalAccountId);
    expect(after.refresh_token_enc).toBe(before.refresh_token_enc);
    expect(after.access_token_enc).toBe(before.access_token_enc);
    expect(after.token_version).toBe(before.token_version);
    expect(after.status).toBe("active");

    foyer.advance(8_000);
    const later = await getToken(userId);
    expect(later.status).toBe(200);
    seen.add((await later.json())[0].token);
    seen.add(decryptTokens(foyer.svc, await row(externalAccountId)).refreshToken!);
  });

  it("answers 503 when Atlassian hangs past the timeout", async () => {
    const { userId, externalAccountId } = await seed();
    await expireAccessToken(foyer, externalAccountId);
    te.emulator.control.setFault("token_hang", { count: 1 });
    const res = await getToken(userId);
    expect(res.status).toBe(503);
    expect(await errorCode(res)).toBe("oauth_provider_unavailable");
    expect((await row(externalAccountId)).status).toBe("active");
    foyer.advance(MAX_BACKOFF_MS);
  });

  it("reports 401 access_denied at refresh as a configuration fault, not a dead grant", async () => {
    const misconfigured = await createTestFoyer(kind, {
      database: foyer.database,
      encryptionKey: foyer.encryptionKey,
      atlassian: { ...te.atlassian, shared: { clientId: te.clientId, clientSecret: "wrong-secret-value" } },
    });
    try {
      const { userId, externalAccountId } = await seed();
      await expireAccessToken(foyer, externalAccountId);
      const res = await getToken(userId, misconfigured);
      expect(res.status).toBe(502);
      expect(await errorCode(res)).toBe("oauth_invalid_client");
      expect((await row(externalAccountId)).status).toBe("active");
      const logged = misconfigured
        .logs()
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l))
        .find((l) => l.level === 50 && /Client ID\/Secret/.test(l.msg));
      expect(logged?.external_account_id).toBe(externalAccountId);
      expect(misconfigured.logs()).not.toContain("wrong-secret-value");
      // The grant is intact: the correctly configured server still refreshes it.
      const ok = await getToken(userId);
      expect(ok.status).toBe(200);
      seen.add((await ok.json())[0].token);
      seen.add(decryptTokens(foyer.svc, await row(externalAccountId)).refreshToken!);
    } finally {
      await misconfigured.close();
    }
  });

  it("answers oauth_provider_error when the token endpoint answers nonsense", async () => {
    const confused = await createTestFoyer(kind, {
      database: foyer.database,
      encryptionKey: foyer.encryptionKey,
      atlassian: { ...te.atlassian, authUrl: `${te.emulator.authUrl}/not-atlassian` },
    });
    try {
      const { userId, externalAccountId } = await seed();
      await expireAccessToken(foyer, externalAccountId);
      const res = await getToken(userId, confused);
      expect(res.status).toBe(502);
      expect(await errorCode(res)).toBe("oauth_provider_error");
      expect((await row(externalAccountId)).status).toBe("active");
    } finally {
      await confused.close();
    }
  });

  it("is a 404 for another instance's user and for unknown providers", async () => {
    const { userId } = await seed();
    const other = await createTestInstance(foyer);
    const res = await foyer.request(tokenPath(userId), {
      headers: { authorization: `Bearer ${other.secretKey}` },
    });
    expect(res.status).toBe(404);
    expect(await errorCode(res)).toBe("resource_not_found");
    const google = await foyer.request(`/v1/users/${userId}/oauth_access_tokens/oauth_google`, {
      headers: auth(),
    });
    expect(google.status).toBe(404);
    const noKey = await foyer.request(tokenPath(userId));
    expect(noKey.status).toBe(401);
  });

  it("binds each ciphertext to its row: copied onto another account it fails to decrypt", async () => {
    const a = await seed();
    const b = await seed();
    const rowA = await row(a.externalAccountId);
    const rowB = await row(b.externalAccountId);
    expect(() => decryptTokens(foyer.svc, { ...rowB, refresh_token_enc: rowA.refresh_token_enc })).toThrow();
    expect(() => decryptTokens(foyer.svc, { ...rowB, access_token_enc: rowA.access_token_enc })).toThrow();
    // Swapped between the columns of one row, too.
    expect(() => decryptTokens(foyer.svc, { ...rowA, access_token_enc: rowA.refresh_token_enc })).toThrow();
  });

  it("keeps every token and the client secret out of the database and the logs", async () => {
    expect(seen.size).toBeGreaterThan(10);
    const dump = await dumpAllTables(foyer);
    expect(dump.length).toBeGreaterThan(1000);
    const logs = foyer.logs();
    for (const secret of seen) {
      expect(dump.includes(secret), "a secret is stored in plaintext").toBe(false);
      expect(logs.includes(secret), "a secret reached the logs").toBe(false);
    }
  });
});

const MAX_BACKOFF_MS = 31_000;
