/**
 * oidc-provider's storage on both databases: rows keyed by the id's hash (a code or refresh
 * token never stored in the clear), consume, destroy, revocation by grant, expiry on read and
 * by the sweep.
 */
import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { createTestInstance, type TestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { payloadAdapter, sweepExpiredPayloads } from "./payload-store.js";

describe.each(DB_KINDS)("the authorization server's payload store (%s)", (kind) => {
  let foyer: TestFoyer;
  let t: TestInstance;
  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
    t = await createTestInstance(foyer);
  });
  afterAll(() => foyer.close());

  const rows = () =>
    foyer.svc.db.kysely
      .selectFrom("oauth_server_payloads")
      .selectAll()
      .where("instance_id", "=", t.id)
      .execute();

  it("keeps a refresh token only as a hash, and gives the payload back by its id", async () => {
    const store = payloadAdapter(foyer.svc, t.id, "RefreshToken");
    const id = "rt-secret-value-0123456789";
    await store.upsert(id, { jti: id, grantId: "g1", accountId: "user_1", clientId: "c1" }, 60);
    expect(JSON.stringify(await rows())).not.toContain(id);
    expect(await store.find(id)).toMatchObject({ jti: id, grantId: "g1" });
    expect(await payloadAdapter(foyer.svc, t.id, "AccessToken").find(id)).toBeUndefined();
    await store.consume(id);
    expect((await store.find(id))?.consumed).toBeTypeOf("number");
    await store.destroy(id);
    expect(await store.find(id)).toBeUndefined();
  });

  it("revokes every token of a grant, and only of that grant", async () => {
    const codes = payloadAdapter(foyer.svc, t.id, "AuthorizationCode");
    const tokens = payloadAdapter(foyer.svc, t.id, "RefreshToken");
    await codes.upsert("code-a", { grantId: "ga" }, 60);
    await tokens.upsert("rt-a", { grantId: "ga" }, 60);
    await tokens.upsert("rt-b", { grantId: "gb" }, 60);
    await tokens.revokeByGrantId("ga");
    expect(await codes.find("code-a")).toBeUndefined();
    expect(await tokens.find("rt-a")).toBeUndefined();
    expect(await tokens.find("rt-b")).toBeDefined();
  });

  it("never returns an expired row, and the sweep removes expired rows only", async () => {
    const sessions = payloadAdapter(foyer.svc, t.id, "Session");
    await sessions.upsert("s-old", { uid: "u-old" }, 1);
    await sessions.upsert("s-new", { uid: "u-new" }, 3600);
    foyer.advance(5_000);
    expect(await sessions.findByUid("u-old")).toBeUndefined();
    await sessions.upsert("s-old2", { uid: "u-old2" }, 1);
    foyer.advance(5_000);
    expect(await sweepExpiredPayloads(foyer.svc)).toBeGreaterThanOrEqual(1);
    expect(await sessions.findByUid("u-new")).toMatchObject({ uid: "u-new" });
    expect((await rows()).some((r) => r.uid === "u-old2")).toBe(false);
  });
});
