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

interface ErrorBody {
  errors: Array<{ code: string; meta: Record<string, unknown> }>;
}

describe.each(DB_KINDS)("PATCH /v1/users/{id} username, as Clerk's (%s)", (kind) => {
  let te: TokenEmulator;
  let foyer: TestFoyer;
  let secretKey: string;
  let otherKey: string;
  let ada: string;
  let grace: string;
  let alan: string;

  beforeAll(async () => {
    te = await startTokenEmulator();
    foyer = await createTestFoyer(kind, { atlassian: te.atlassian });
    const instance = await createTestInstance(foyer);
    secretKey = instance.secretKey;
    const other = await createTestInstance(foyer);
    otherKey = other.secretKey;
    const seed = async (instanceId: string, name: string) =>
      (await seedAtlassianUser(foyer, te, { instanceId, accountId: newEmulatorAccount(te, name) })).userId;
    ada = await seed(instance.id, "Ada Byron");
    grace = await seed(instance.id, "Grace Hopper");
    alan = await seed(other.id, "Alan Turing");
  });
  afterAll(async () => {
    await foyer?.close();
    await te?.emulator.close();
  });

  const patch = (userId: string, json: unknown, key = secretKey) =>
    foyer.request(`/v1/users/${userId}`, {
      method: "PATCH",
      json,
      headers: { authorization: `Bearer ${key}` },
    });
  const username = async (userId: string, key = secretKey) =>
    (
      await (
        await foyer.request(`/v1/users/${userId}`, { headers: { authorization: `Bearer ${key}` } })
      ).json()
    ).username;
  const error = async (res: Response) => {
    expect(res.status).toBe(422);
    return ((await res.json()) as ErrorBody).errors[0]!;
  };

  it("sets a trimmed username, and null clears it", async () => {
    const res = await patch(ada, { username: "  ada.lovelace_1-x " });
    expect(res.status).toBe(200);
    expect((await res.json()).username).toBe("ada.lovelace_1-x");
    expect(await username(ada)).toBe("ada.lovelace_1-x");
    // Setting one's own username again is no conflict.
    expect((await patch(ada, { username: "ada.lovelace_1-x" })).status).toBe(200);
    expect((await (await patch(ada, { username: null })).json()).username).toBeNull();
    expect(await username(ada)).toBeNull();
  });

  it("refuses usernames that are empty, too long or use other characters, naming the field", async () => {
    for (const bad of ["", "   ", "a".repeat(65), "ada lovelace", "ada@example.com", "ädä", 42]) {
      const e = await error(await patch(ada, { username: bad }));
      expect(e).toMatchObject({ code: "form_param_invalid", meta: { param_name: "username" } });
    }
    expect((await patch(ada, { username: "a".repeat(64) })).status).toBe(200);
  });

  it("keeps usernames unique in an instance, whatever their case, and only there", async () => {
    expect((await patch(ada, { username: "countess" })).status).toBe(200);
    for (const taken of ["countess", "Countess", " COUNTESS "]) {
      const e = await error(await patch(grace, { username: taken }));
      expect(e).toMatchObject({ code: "form_identifier_exists", meta: { param_name: "username" } });
    }
    expect(await username(grace)).toBeNull();
    // Another instance's users are another namespace.
    expect((await patch(alan, { username: "countess" }, otherKey)).status).toBe(200);
    // Once released, the name is free again.
    expect((await patch(ada, { username: null })).status).toBe(200);
    expect((await patch(grace, { username: "Countess" })).status).toBe(200);
    expect(await username(grace)).toBe("Countess");
  });
});
