import { createFoyerClient, FoyerApiError } from "@foyer/backend";
import {
  expireAccessToken,
  newEmulatorAccount,
  seedAtlassianUser,
  startTokenEmulator,
  type TokenEmulator,
} from "@foyer/testkit/atlassian-user";
import {
  appFetch,
  createTestFoyer,
  createTestInstance,
  DB_KINDS,
  signInTestUser,
  type TestFoyer,
} from "@foyer/testkit/backend-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getInstance } from "../../../server/src/instances/instances.js";

describe.each(DB_KINDS)("createFoyerClient against the Backend API (%s)", (kind) => {
  let te: TokenEmulator;
  let foyer: TestFoyer;
  let client: ReturnType<typeof createFoyerClient>;
  let instanceId: string;

  beforeAll(async () => {
    te = await startTokenEmulator();
    foyer = await createTestFoyer(kind, { atlassian: te.atlassian });
    const created = await createTestInstance(foyer);
    instanceId = created.id;
    client = createFoyerClient({
      secretKey: created.secretKey,
      apiUrl: foyer.svc.config.publicUrl,
      fetch: appFetch(foyer),
    });
  });
  afterAll(async () => {
    await foyer?.close();
    await te?.emulator.close();
  });

  it("reads, counts, updates and deletes users in Clerk's shapes", async () => {
    const { userId, externalAccountId } = await seedAtlassianUser(foyer, te, {
      instanceId,
      accountId: newEmulatorAccount(te, "Grace Hopper"),
    });
    const list = await client.users.getUserList({ limit: 10 });
    expect(list.totalCount).toBe(await client.users.getCount());
    expect(list.data.map((u) => u.id)).toContain(userId);
    const user = await client.users.getUser(userId);
    expect(user).toMatchObject({ object: "user", id: userId });
    expect(user.external_accounts[0]?.id).toBe(externalAccountId);

    const updated = await client.users.updateUser(userId, { public_metadata: { plan: "pro" } });
    expect(updated.public_metadata).toMatchObject({ plan: "pro" });
    const merged = await client.users.updateUserMetadata(userId, { public_metadata: { seats: 3 } });
    expect(merged.public_metadata).toEqual({ plan: "pro", seats: 3 });

    const removed = await client.users.deleteUserExternalAccount(userId, externalAccountId);
    expect(removed).toMatchObject({ id: externalAccountId, deleted: true });
    expect(await client.users.deleteUser(userId)).toMatchObject({ id: userId, deleted: true });
    const gone = await client.users.getUser(userId).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(FoyerApiError);
    expect((gone as FoyerApiError).status).toBe(404);
  });

  it("sets, refuses a taken, and clears a username", async () => {
    const seed = async () =>
      (await seedAtlassianUser(foyer, te, { instanceId, accountId: newEmulatorAccount(te) })).userId;
    const [first, second] = [await seed(), await seed()];
    const named = await client.users.updateUser(first, { username: "grace_h" });
    expect(named.username).toBe("grace_h");
    const taken = await client.users.updateUser(second, { username: "Grace_H" }).catch((e: unknown) => e);
    expect(taken).toBeInstanceOf(FoyerApiError);
    expect(taken).toMatchObject({ code: "form_identifier_exists", status: 422 });
    expect((taken as FoyerApiError).errors[0]?.meta).toMatchObject({ param_name: "username" });
    expect((await client.users.updateUser(first, { username: null })).username).toBeNull();
  });

  it("types the sites of users and tokens as the server sends them (avatar_url, cloud_id, api_base_urls)", async () => {
    const { userId } = await seedAtlassianUser(foyer, te, { instanceId, accountId: newEmulatorAccount(te) });
    const user = await client.users.getUser(userId);
    const site = user.external_accounts[0]!.sites[0]!;
    expect(Object.keys(site).sort()).toEqual([
      "avatar_url",
      "id",
      "lost_at",
      "name",
      "scopes",
      "status",
      "url",
    ]);
    expect(site).toMatchObject({ status: "accessible", lost_at: null });
    expect(site.avatar_url === null || typeof site.avatar_url === "string").toBe(true);
    const token = (await client.users.getOAuthAccessToken(userId, "atlassian")).data[0]!;
    if (token.token === null) throw new Error(`no token: ${token.error.code}`);
    const tokenSite = token.sites[0]!;
    expect(tokenSite).toMatchObject({
      id: site.id,
      cloud_id: site.id,
      url: site.url,
      avatar_url: site.avatar_url,
    });
    expect(tokenSite.api_base_urls.jira).toBe(`${te.atlassian.apiUrl}/ex/jira/${site.id}`);
    expect(token.expires_at).toBe(Math.floor(token.expires_at_ms / 1000));
  });

  it("gets the user's Atlassian access token, refreshed when expired", async () => {
    const { userId, externalAccountId, tokens } = await seedAtlassianUser(foyer, te, {
      instanceId,
      accountId: newEmulatorAccount(te),
    });
    const page = await client.users.getOAuthAccessToken(userId, "atlassian");
    expect(page.data).toHaveLength(1);
    expect(page.data[0]).toMatchObject({
      external_account_id: externalAccountId,
      token: tokens.access_token,
    });
    await expireAccessToken(foyer, externalAccountId);
    const fresh = await client.users.getOAuthAccessToken(userId, "atlassian");
    expect(fresh.data[0]?.token).not.toBe(tokens.access_token);
  });

  it("refreshes the user's Atlassian access token on demand, even while it is fresh", async () => {
    const { userId, externalAccountId, tokens } = await seedAtlassianUser(foyer, te, {
      instanceId,
      accountId: newEmulatorAccount(te),
    });
    // Past the 5 s in which a forced refresh hands out the token just obtained (here, by consent).
    foyer.advance(5_000);
    te.emulator.control.resetCounters();
    const page = await client.users.refreshOAuthAccessToken(userId, "atlassian");
    expect(page.data).toHaveLength(1);
    const item = page.data[0]!;
    expect(item).toMatchObject({ external_account_id: externalAccountId, status: "active" });
    expect(item.token).not.toBeNull();
    expect(item.token).not.toBe(tokens.access_token);
    expect(te.emulator.control.counters().refreshes).toBe(1);
    // The normal read now hands out the token the forced refresh stored.
    const read = await client.users.getOAuthAccessToken(userId, "atlassian");
    expect(read.data[0]?.token).toBe(item.token);
  });

  it("carries the API's error code, status and Retry-After", async () => {
    const { userId, externalAccountId } = await seedAtlassianUser(foyer, te, {
      instanceId,
      accountId: newEmulatorAccount(te),
    });
    await expireAccessToken(foyer, externalAccountId);
    te.emulator.control.setFault("token_5xx", { count: 1, retryAfterSeconds: 7 });
    const err = await client.users.getOAuthAccessToken(userId, "atlassian").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FoyerApiError);
    expect(err).toMatchObject({ code: "oauth_provider_unavailable", status: 503, retryAfter: 7 });
    foyer.advance(60_000);
  });

  it("reads the JWKS and lists sessions", async () => {
    const jwks = await client.jwks.getJwks();
    expect(jwks.keys[0]).toMatchObject({ kty: "RSA", alg: "RS256" });
    const s = await signInTestUser(foyer, await getInstance(foyer.svc, instanceId));
    const page = await client.sessions.getSessionList({ user_id: s.user.id, status: "active" });
    expect(page).toMatchObject({ totalCount: 1, data: [{ id: s.sessionId, status: "active" }] });
  });

  it("refuses a wrong secret key with secret_key_invalid, and an unreachable API with network_error", async () => {
    const wrong = createFoyerClient({
      secretKey: "sk_test_wrong",
      apiUrl: foyer.svc.config.publicUrl,
      fetch: appFetch(foyer),
    });
    await expect(wrong.sessions.getSessionList()).rejects.toMatchObject({
      code: "secret_key_invalid",
      status: 401,
    });
    const down = createFoyerClient({ secretKey: "sk_test_x", apiUrl: "http://127.0.0.1:9" });
    await expect(down.jwks.getJwks()).rejects.toMatchObject({ code: "network_error", status: 0 });
    expect(() => createFoyerClient({ secretKey: "pk_test_x", apiUrl: "http://x" })).toThrow(TypeError);
  });
});
