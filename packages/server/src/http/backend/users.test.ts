import {
  newEmulatorAccount,
  seedAtlassianUser,
  startTokenEmulator,
  type TokenEmulator,
} from "@foyer/testkit/atlassian-user";
import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { createTestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findInstance } from "../../instances/instances.js";
import { startSession } from "../../sessions/sessions.js";

describe.each(DB_KINDS)("Backend API users (%s)", (kind) => {
  let te: TokenEmulator;
  let foyer: TestFoyer;
  let instanceId: string;
  let secretKey: string;
  let otherKey: string;
  const people: Array<{ userId: string; externalAccountId: string; accountId: string; name: string }> = [];

  beforeAll(async () => {
    te = await startTokenEmulator();
    foyer = await createTestFoyer(kind, { atlassian: te.atlassian });
    ({ id: instanceId, secretKey } = await createTestInstance(foyer));
    ({ secretKey: otherKey } = await createTestInstance(foyer));
    for (const name of ["Ada Byron", "Grace Murray", "Alan Mathison", "Edsger Dijkstra"]) {
      const accountId = newEmulatorAccount(te, name);
      const seeded = await seedAtlassianUser(foyer, te, { instanceId, accountId });
      people.push({ ...seeded, accountId, name });
      foyer.advance(1000); // distinct created_at values
    }
  });
  afterAll(async () => {
    await foyer?.close();
    await te?.emulator.close();
  });

  const get = (path: string, key = secretKey) =>
    foyer.request(path, { headers: { authorization: `Bearer ${key}` } });
  const send = (method: string, path: string, json?: unknown, key = secretKey) =>
    foyer.request(path, { method, json, headers: { authorization: `Bearer ${key}` } });
  const code = async (res: Response) =>
    ((await res.json()) as { errors: Array<{ code: string }> }).errors[0]!.code;
  const ids = async (res: Response) => ((await res.json()) as Array<{ id: string }>).map((u) => u.id);

  it("lists users newest first, with limit and offset, in Clerk's user shape", async () => {
    const res = await get("/v1/users");
    expect(res.status).toBe(200);
    const users = await res.json();
    expect(users.map((u: { id: string }) => u.id)).toEqual(people.map((p) => p.userId).reverse());
    expect(users[0]).toMatchObject({ object: "user", first_name: "Edsger", last_name: "Dijkstra" });
    expect(users[0].external_accounts[0]).toMatchObject({ provider: "oauth_atlassian", status: "active" });
    expect(await ids(await get("/v1/users?limit=2&offset=1"))).toEqual([
      people[2]!.userId,
      people[1]!.userId,
    ]);
    expect(await ids(await get("/v1/users?order_by=%2Bcreated_at&limit=1"))).toEqual([people[0]!.userId]);
    expect(await ids(await get("/v1/users?order_by=+created_at&limit=1"))).toEqual([people[0]!.userId]);
    expect(await ids(await get("/v1/users?order_by=first_name&limit=2"))).toEqual([
      people[0]!.userId,
      people[2]!.userId,
    ]);
  });

  it("refuses order_by outside the allow-list and out-of-range paging with a code", async () => {
    for (const q of [
      "order_by=password",
      "order_by=-created_at;drop",
      "limit=501",
      "limit=0",
      "offset=-1",
      "limit=abc",
    ]) {
      const res = await get(`/v1/users?${q}`);
      expect(res.status, q).toBe(400);
      expect(await code(res)).toBe("query_param_invalid");
    }
    expect((await get("/v1/users?limit=500")).status).toBe(200);
  });

  it("filters by email address (repeatable) and by query over names, emails and Atlassian ids", async () => {
    const [ada, grace, alan] = people;
    const users = await (await get(`/v1/users?limit=50`)).json();
    const emailOf = (id: string) =>
      users.find((u: { id: string }) => u.id === id).email_addresses[0].email_address as string;
    const byEmail = await ids(
      await get(
        `/v1/users?email_address=${emailOf(ada!.userId).toUpperCase()}&email_address=${emailOf(grace!.userId)}`,
      ),
    );
    expect(byEmail.sort()).toEqual([ada!.userId, grace!.userId].sort());
    expect(await ids(await get("/v1/users?query=mathis"))).toEqual([alan!.userId]);
    expect(
      await ids(await get(`/v1/users?query=${encodeURIComponent(grace!.accountId.slice(7, 15))}`)),
    ).toEqual([grace!.userId]);
    expect(await ids(await get(`/v1/users?query=${emailOf(ada!.userId).slice(0, 6)}`))).toEqual([
      ada!.userId,
    ]);
    // LIKE wildcards are literal characters in a query.
    expect(await ids(await get("/v1/users?query=%25"))).toEqual([]);
    const count = await (await get("/v1/users/count?query=a")).json();
    expect(count.object).toBe("total_count");
    expect(count.total_count).toBeGreaterThanOrEqual(3);
    expect(await (await get("/v1/users/count")).json()).toEqual({ object: "total_count", total_count: 4 });
    expect(await (await get("/v1/users/count", otherKey)).json()).toEqual({
      object: "total_count",
      total_count: 0,
    });
  });

  it("gets and patches a user; fields outside the allow-list are refused", async () => {
    const { userId } = people[0]!;
    const res = await send("PATCH", `/v1/users/${userId}`, {
      first_name: "Augusta",
      public_metadata: { plan: "pro" },
      private_metadata: { notes: { a: 1 } },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      first_name: "Augusta",
      last_name: "Byron",
      public_metadata: { plan: "pro" },
      private_metadata: { notes: { a: 1 } },
    });
    const bad = await send("PATCH", `/v1/users/${userId}`, { email_address: "x@example.com" });
    expect(bad.status).toBe(422);
    expect(await code(bad)).toBe("form_param_unknown");
    const big = await send("PATCH", `/v1/users/${userId}`, { unsafe_metadata: { blob: "x".repeat(9000) } });
    expect(await code(big)).toBe("form_param_invalid");

    const merged = await send("PATCH", `/v1/users/${userId}/metadata`, {
      private_metadata: { notes: { b: 2 } },
      public_metadata: { plan: null },
    });
    expect(await merged.json()).toMatchObject({
      public_metadata: {},
      private_metadata: { notes: { a: 1, b: 2 } },
    });
    expect((await (await get(`/v1/users/${userId}`)).json()).first_name).toBe("Augusta");
  });

  it("confines every user route to the secret key's instance", async () => {
    const { userId, externalAccountId } = people[1]!;
    for (const [method, path] of [
      ["GET", `/v1/users/${userId}`],
      ["PATCH", `/v1/users/${userId}`],
      ["DELETE", `/v1/users/${userId}`],
      ["DELETE", `/v1/users/${userId}/external_accounts/${externalAccountId}`],
      ["GET", `/v1/users/${userId}/oauth_access_tokens/oauth_atlassian`],
    ] as const) {
      const res = await send(method, path, method === "PATCH" ? { first_name: "X" } : undefined, otherKey);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(await code(res)).toBe("resource_not_found");
    }
    expect(await ids(await get("/v1/users", otherKey))).toEqual([]);
    expect((await (await get(`/v1/users/${userId}`)).json()).first_name).toBe("Grace");
  });

  it("unlinking an Atlassian account deletes its tokens and revokes the user's sessions", async () => {
    const { userId, externalAccountId } = people[2]!;
    const instance = (await findInstance(foyer.svc, instanceId))!;
    const { session } = await startSession(foyer.svc, instance, userId);
    const res = await send("DELETE", `/v1/users/${userId}/external_accounts/${externalAccountId}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ object: "external_account", id: externalAccountId, deleted: true });
    const db = foyer.svc.db.kysely;
    expect(
      await db.selectFrom("external_accounts").where("id", "=", externalAccountId).selectAll().execute(),
    ).toEqual([]);
    const s = await db
      .selectFrom("sessions")
      .selectAll()
      .where("id", "=", session.id)
      .executeTakeFirstOrThrow();
    expect(s.status).toBe("revoked");
    expect((await get(`/v1/users/${userId}`)).status).toBe(200);
    const tokens = await (await get(`/v1/users/${userId}/oauth_access_tokens/oauth_atlassian`)).json();
    expect(tokens).toEqual([]);
    expect((await send("DELETE", `/v1/users/${userId}/external_accounts/${externalAccountId}`)).status).toBe(
      404,
    );
  });

  it("deleting a user deletes their tokens and ends their sessions", async () => {
    const { userId, externalAccountId } = people[3]!;
    const instance = (await findInstance(foyer.svc, instanceId))!;
    const { session } = await startSession(foyer.svc, instance, userId);
    const res = await send("DELETE", `/v1/users/${userId}`);
    expect(await res.json()).toEqual({ object: "user", id: userId, deleted: true });
    const db = foyer.svc.db.kysely;
    expect(
      await db.selectFrom("external_accounts").where("id", "=", externalAccountId).selectAll().execute(),
    ).toEqual([]);
    const left = await db.selectFrom("sessions").selectAll().where("id", "=", session.id).executeTakeFirst();
    expect(left === undefined || left.status !== "active").toBe(true);
    expect((await get(`/v1/users/${userId}`)).status).toBe(404);
    expect((await send("DELETE", `/v1/users/${userId}`)).status).toBe(404);
  });
});
