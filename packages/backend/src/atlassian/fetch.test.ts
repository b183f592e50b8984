import { AtlassianError, createFoyerClient, FoyerApiError } from "@foyer/backend";
import {
  connectAtlassianAccount,
  DEMO_IDS,
  newEmulatorAccount,
  seedAtlassianUser,
  startTokenEmulator,
  TEST_SCOPES,
  type TokenEmulator,
} from "@foyer/testkit/atlassian-user";
import {
  appFetch,
  createTestFoyer,
  createTestInstance,
  DB_KINDS,
  type TestFoyer,
} from "@foyer/testkit/backend-sdk";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

/** An emulator access token lives an hour: past it, Atlassian refuses the token Foyer still holds. */
const TOKEN_LIFETIME_MS = 3600 * 1000;

/**
 * atlassian.fetch against a real Foyer (its Backend API through appFetch) and the emulator (real
 * sockets, real tokens, real refresh rotation): nothing in between is a stub.
 */
describe.each(DB_KINDS)("atlassian.fetch (%s)", (kind) => {
  let te: TokenEmulator;
  let foyer: TestFoyer;
  let instanceId: string;
  let secretKey: string;

  const client = (atlassian: Parameters<typeof createFoyerClient>[0]["atlassian"] = {}) =>
    createFoyerClient({ secretKey, apiUrl: foyer.svc.config.publicUrl, fetch: appFetch(foyer), atlassian });
  const seed = async (opts: { scopes?: string[]; siteIds?: string[]; name?: string } = {}) => {
    const siteIds = opts.siteIds ?? [DEMO_IDS.acme];
    const accountId = newEmulatorAccount(te, opts.name, siteIds);
    const seeded = await seedAtlassianUser(foyer, te, {
      instanceId,
      accountId,
      scopes: opts.scopes,
      cloudId: siteIds[0],
    });
    return { ...seeded, accountId };
  };
  /**
   * Foyer answers a forced refresh within 5 s of the last one (a consent counts) with that token:
   * tests that need Atlassian to be asked again move Foyer's clock past it.
   */
  const pastForcedReuse = () => foyer.advance(6_000);
  const myself = async (res: Response) => ((await res.json()) as { accountId: string }).accountId;

  beforeAll(async () => {
    te = await startTokenEmulator();
    foyer = await createTestFoyer(kind, { atlassian: te.atlassian });
    const created = await createTestInstance(foyer);
    instanceId = created.id;
    secretKey = created.secretKey;
  });
  afterEach(() => te.emulator.control.clearFaults());
  afterAll(async () => {
    await foyer?.close();
    await te?.emulator.close();
  });

  it("calls Jira's /myself on the site with the user's token, and reports the site's own scopes", async () => {
    const { userId, accountId, externalAccountId } = await seed();
    const result = await client().atlassian.fetch(userId, {
      cloudId: DEMO_IDS.acme,
      product: "jira",
      path: "/rest/api/3/myself",
    });
    expect(result.response.status).toBe(200);
    expect(await myself(result.response)).toBe(accountId);
    expect(result.site).toMatchObject({ cloud_id: DEMO_IDS.acme, name: "Acme" });
    expect(result.site.scopes).toEqual(expect.arrayContaining(["read:jira-user", "read:jira-work"]));
    expect(result).toMatchObject({ externalAccountId, retried: { refreshed: false, waited: 0 } });
    expect(result.rateLimit).toMatchObject({ retryAfter: undefined, reason: undefined, limits: [] });
  });

  it("uses the account that reaches the site, among several accounts of one user", async () => {
    const first = await seed({ name: "On Acme" });
    const globexAccount = newEmulatorAccount(te, "On Globex", [DEMO_IDS.globex]);
    const second = await connectAtlassianAccount(foyer, te, {
      instanceId,
      userId: first.userId,
      accountId: globexAccount,
      cloudId: DEMO_IDS.globex,
    });
    const sdk = client();
    const onGlobex = await sdk.atlassian.fetch(first.userId, {
      cloudId: DEMO_IDS.globex,
      product: "jira",
      path: "/rest/api/3/myself",
    });
    // The Acme account's token would get a 401 on Globex: only the Globex account's reaches it.
    expect(onGlobex.response.status).toBe(200);
    expect(await myself(onGlobex.response)).toBe(globexAccount);
    expect(onGlobex).toMatchObject({
      externalAccountId: second.externalAccountId,
      retried: { refreshed: false },
    });
    expect(onGlobex.site.api_base_urls.jira).toBe(`${te.atlassian.apiUrl}/ex/jira/${DEMO_IDS.globex}`);
    const onAcme = await sdk.atlassian.fetch(first.userId, {
      cloudId: DEMO_IDS.acme,
      product: "jira",
      path: "/rest/api/3/myself",
    });
    expect(await myself(onAcme.response)).toBe(first.accountId);
  });

  it("refreshes once when Atlassian answers 401, and calls again with the new token", async () => {
    const { userId, accountId } = await seed();
    // The emulator's clock passes the token's hour; Foyer's does not, so Foyer still hands it out.
    te.emulator.control.advanceClock(TOKEN_LIFETIME_MS + 1000);
    pastForcedReuse();
    const refreshes = te.emulator.control.counters().refreshes;
    const result = await client().atlassian.fetch(userId, {
      cloudId: DEMO_IDS.acme,
      product: "jira",
      path: "/rest/api/3/myself",
    });
    expect(result.response.status).toBe(200);
    expect(await myself(result.response)).toBe(accountId);
    expect(result.retried).toEqual({ refreshed: true, waited: 0 });
    expect(te.emulator.control.counters().refreshes).toBe(refreshes + 1);
  });

  it("takes Confluence's 404/403 for a dead token only once the token is past its expiry", async () => {
    const scopes = [...TEST_SCOPES, "read:confluence-content.all"];
    const { userId } = await seed({ scopes });
    te.emulator.control.advanceClock(TOKEN_LIFETIME_MS + 1000);
    pastForcedReuse();
    const call = { cloudId: DEMO_IDS.acme, product: "confluence", path: "/wiki/rest/api/content" } as const;
    // By our clock the token is still valid: a 403 on v1 is Confluence's word, returned as is.
    const taken = await client().atlassian.fetch(userId, call);
    expect(taken.response.status).toBe(403);
    expect(taken.retried.refreshed).toBe(false);
    // Past expires_at_ms, the same 403 is a masked dead token: refresh and call again.
    const later = () => foyer.svc.now() + TOKEN_LIFETIME_MS + 5000;
    const result = await client({ now: later }).atlassian.fetch(userId, call);
    expect(result.response.status).toBe(200);
    expect(result.retried.refreshed).toBe(true);
  });

  it("throws atlassian_unauthorized when the refreshed token is refused too", async () => {
    const { userId } = await seed();
    // Confluence v2 wants granular scopes; this grant has none on Acme, so every token gets 401.
    const err = await client()
      .atlassian.fetch(userId, { cloudId: DEMO_IDS.acme, product: "confluence", path: "/wiki/api/v2/spaces" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AtlassianError);
    expect(err).toMatchObject({ code: "atlassian_unauthorized", cloudId: DEMO_IDS.acme });
    expect((err as AtlassianError).response?.status).toBe(401);
    expect((err as AtlassianError).site?.name).toBe("Acme");
  });

  it("waits out a 429's short Retry-After and calls again", async () => {
    const { userId } = await seed();
    te.emulator.control.setFault("product_429", { count: 1, retryAfterSeconds: 1 });
    const started = Date.now();
    const result = await client().atlassian.fetch(userId, {
      cloudId: DEMO_IDS.acme,
      product: "jira",
      path: "/rest/api/3/myself",
    });
    expect(result.response.status).toBe(200);
    expect(result.retried).toEqual({ refreshed: false, waited: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it("returns a 429 whose Retry-After is longer than allowed, with Atlassian's rate-limit headers", async () => {
    const { userId } = await seed();
    te.emulator.control.setFault("product_429", {
      count: 1,
      retryAfterSeconds: 30,
      reason: "jira-quota-global-based",
    });
    const result = await client({ maxRetryWaitMs: 10_000 }).atlassian.fetch(userId, {
      cloudId: DEMO_IDS.acme,
      product: "jira",
      path: "/rest/api/3/myself",
    });
    expect(result.response.status).toBe(429);
    expect(result.retried.waited).toBe(0);
    expect(result.rateLimit).toMatchObject({
      retryAfter: 30,
      limit: 65000,
      remaining: 0,
      nearLimit: true,
      reason: "jira-quota-global-based",
      policies: [{ name: "global-app-quota", params: { q: 65000, w: 3600 } }],
      limits: [{ name: "global-app-quota", params: { r: 0, t: 30 } }],
      betaRetryAfter: 30,
    });
    expect(result.rateLimit.reset).toBeInstanceOf(Date);
  });

  it("gives up on a 503 after the bounded number of retries", async () => {
    const { userId } = await seed();
    te.emulator.control.setFault("product_503", { count: 5, retryAfterSeconds: 0 });
    const result = await client({ maxRateLimitRetries: 2 }).atlassian.fetch(userId, {
      cloudId: DEMO_IDS.acme,
      product: "jira",
      path: "/rest/api/3/myself",
    });
    expect(result.response.status).toBe(503);
    expect(result.retried.waited).toBe(2);
  });

  it("throws site_not_connected for a site no account reaches, and once access to it is lost", async () => {
    const { userId, accountId } = await seed();
    const sdk = client();
    await expect(
      sdk.atlassian.fetch(userId, { cloudId: DEMO_IDS.globex, product: "jira", path: "/rest/api/3/myself" }),
    ).rejects.toMatchObject({ name: "AtlassianError", code: "site_not_connected", cloudId: DEMO_IDS.globex });
    // Foyer still lists Acme; the gateway refuses it, the refresh re-reads the sites and drops it.
    te.emulator.control.revokeSiteAccess(accountId, DEMO_IDS.acme);
    pastForcedReuse();
    await expect(
      sdk.atlassian.fetch(userId, { cloudId: DEMO_IDS.acme, product: "jira", path: "/rest/api/3/myself" }),
    ).rejects.toMatchObject({ code: "site_not_connected" });
  });

  it("surfaces a revoked grant as the Backend API's oauth_reauthorization_required", async () => {
    const { userId, accountId } = await seed();
    te.emulator.control.revokeGrant(te.clientId, accountId);
    pastForcedReuse();
    const err = await client()
      .atlassian.fetch(userId, { cloudId: DEMO_IDS.acme, product: "jira", path: "/rest/api/3/myself" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FoyerApiError);
    expect(err).toMatchObject({ code: "oauth_reauthorization_required", status: 409 });
  });

  it("keeps the token on the site's API: a path that climbs out is refused before any call", async () => {
    const { userId } = await seed();
    const calls: string[] = [];
    const sdk = client({
      fetch: (input, init) => {
        calls.push(String(input));
        return fetch(input, init);
      },
    });
    for (const path of [
      `/../../jira/${DEMO_IDS.globex}/rest/api/3/myself`,
      "//evil.example/x",
      "rest/api/3/myself",
    ]) {
      await expect(
        sdk.atlassian.fetch(userId, { cloudId: DEMO_IDS.acme, product: "jira", path }),
      ).rejects.toMatchObject({
        code: "invalid_path",
      });
    }
    expect(calls).toEqual([]);
  });
});
