import { createFoyerClient, FoyerApiError } from "@foyer/backend";
import {
  appFetch,
  createTestFoyer,
  createTestInstance,
  DB_KINDS,
  signInTestUser,
  type TestFoyer,
} from "@foyer/testkit/backend-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe.each(DB_KINDS)("users.banUser / unbanUser / lockUser / unlockUser (%s)", (kind) => {
  let foyer: TestFoyer;
  let client: ReturnType<typeof createFoyerClient>;
  let instance: Awaited<ReturnType<typeof createTestInstance>>;

  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
    instance = await createTestInstance(foyer);
    client = createFoyerClient({
      secretKey: instance.secretKey,
      apiUrl: foyer.svc.config.publicUrl,
      fetch: appFetch(foyer),
    });
  });
  afterAll(() => foyer?.close());

  it("answers the user with banned / locked, and ends the sessions", async () => {
    const s = await signInTestUser(foyer, instance.instance);
    const banned = await client.users.banUser(s.user.id);
    expect(banned).toMatchObject({ id: s.user.id, banned: true, locked: false });
    const [session] = await client.sessions.getSessionList({ user_id: s.user.id }).then((p) => p.data);
    expect(session?.status).toBe("revoked");
    expect(await client.users.unbanUser(s.user.id)).toMatchObject({ banned: false });
    expect(await client.users.lockUser(s.user.id)).toMatchObject({ locked: true });
    expect(await client.users.unlockUser(s.user.id)).toMatchObject({ locked: false });
    const missing = await client.users.banUser("user_missing").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(FoyerApiError);
    expect((missing as FoyerApiError).status).toBe(404);
  });
});
