import { createFoyerClient, FoyerApiError } from "@foyer/backend";
import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import {
  createTestInstance,
  insertTestUser,
  signInTestUser,
  type TestInstance,
} from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe.each(DB_KINDS)("Backend API sessions (%s)", (kind) => {
  let foyer: TestFoyer;
  let a: TestInstance;
  let b: TestInstance;

  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
    a = await createTestInstance(foyer);
    b = await createTestInstance(foyer);
  });
  afterAll(() => foyer.close());

  const api = (t: TestInstance, path: string, init: RequestInit = {}) =>
    foyer.request(`/v1${path}`, { ...init, headers: { authorization: `Bearer ${t.secretKey}` } });
  const client = (t: TestInstance) =>
    createFoyerClient({
      secretKey: t.secretKey,
      apiUrl: foyer.svc.config.publicUrl,
      fetch: (input, init) => foyer.app.fetch(new Request(input, init)),
    });

  it("lists a user's sessions as Clerk does: an array, or { data, total_count } when paginated", async () => {
    const user = await insertTestUser(foyer, a.instance);
    const s1 = await signInTestUser(foyer, a.instance, user);
    const s2 = await signInTestUser(foyer, a.instance, user);
    const plain = await (await api(a, `/sessions?user_id=${user.id}`)).json();
    expect(Array.isArray(plain)).toBe(true);
    expect(plain.map((s: { id: string }) => s.id).sort()).toEqual([s1.sessionId, s2.sessionId].sort());
    expect(plain[0]).toMatchObject({ object: "session", user_id: user.id, status: "active" });
    expect(typeof plain[0].client_id).toBe("string");
    const paged = await (await api(a, `/sessions?user_id=${user.id}&paginated=true&limit=1`)).json();
    expect(paged.total_count).toBe(2);
    expect(paged.data).toHaveLength(1);

    const viaSdk = await client(a).sessions.getSessionList({ user_id: user.id });
    expect(viaSdk.totalCount).toBe(2);
  });

  it("filters by status, reporting lapsed sessions as expired", async () => {
    const user = await insertTestUser(foyer, a.instance);
    const old = await signInTestUser(foyer, a.instance, user);
    foyer.advance(8 * 24 * 3600 * 1000);
    const live = await signInTestUser(foyer, a.instance, user);
    const ended = await signInTestUser(foyer, a.instance, user);
    await client(a).sessions.revokeSession(ended.sessionId);
    const ids = async (status: string) =>
      (await (await api(a, `/sessions?user_id=${user.id}&status=${status}`)).json()).map(
        (s: { id: string }) => s.id,
      );
    expect(await ids("active")).toEqual([live.sessionId]);
    expect(await ids("expired")).toEqual([old.sessionId]);
    expect(await ids("revoked")).toEqual([ended.sessionId]);
    const bad = await api(a, "/sessions?status=bogus");
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0].code).toBe("query_param_invalid");
  });

  it("gets and revokes a session; revocation stops token minting", async () => {
    const s = await signInTestUser(foyer, a.instance);
    const sdk = client(a);
    expect((await sdk.sessions.getSession(s.sessionId)).status).toBe("active");
    const revoked = await sdk.sessions.revokeSession(s.sessionId);
    expect(revoked).toMatchObject({ id: s.sessionId, status: "revoked" });
    const mint = await foyer.request(`${a.fapiPath}/v1/client/sessions/${s.sessionId}/tokens`, {
      method: "POST",
      headers: { cookie: s.cookie },
    });
    expect(mint.status).toBe(401);
  });

  it("never shows or revokes another instance's sessions", async () => {
    const s = await signInTestUser(foyer, a.instance);
    expect((await api(b, `/sessions/${s.sessionId}`)).status).toBe(404);
    const revoke = await api(b, `/sessions/${s.sessionId}/revoke`, { method: "POST" });
    expect(revoke.status).toBe(404);
    expect((await revoke.json()).errors[0].code).toBe("session_not_found");
    expect(await (await api(b, `/sessions?user_id=${s.user.id}`)).json()).toEqual([]);
    expect((await client(a).sessions.getSession(s.sessionId)).status).toBe("active");
    const err = await client(b)
      .sessions.getSession(s.sessionId)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FoyerApiError);
    expect(err).toMatchObject({ code: "session_not_found", status: 404 });
  });
});
