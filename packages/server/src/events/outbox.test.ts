/**
 * The outbox's promise: an event exists exactly when its change committed. A change that rolls
 * back leaves no event; a committed one always has its event.
 */
import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { createTestInstance, signInTestUser, type TestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { revokeSessions } from "../users/delete-user.js";
import { updateUser } from "../users/update-user.js";
import { listEvents } from "./outbox.js";

describe.each(DB_KINDS)("the outbox (%s)", (kind) => {
  let foyer: TestFoyer;
  let ti: TestInstance;
  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
    ti = await createTestInstance(foyer);
  });
  afterAll(() => foyer?.close());

  const eventsNow = () => listEvents(foyer.svc.db.kysely, ti.id, { limit: 1000 });

  it("writes no event for a change that rolled back, and the change is gone too", async () => {
    const { user, sessionId } = await signInTestUser(foyer, ti.instance);
    const before = await eventsNow();
    await expect(
      foyer.svc.db.kysely.transaction().execute(async (trx) => {
        await revokeSessions(trx, ti.id, user.id, foyer.svc.now());
        throw new Error("the rest of the change failed");
      }),
    ).rejects.toThrow("the rest of the change failed");
    expect(await eventsNow()).toEqual(before);
    const session = await foyer.svc.db.kysely
      .selectFrom("sessions")
      .select("status")
      .where("id", "=", sessionId)
      .executeTakeFirstOrThrow();
    expect(session.status).toBe("active");

    // The same function committed: the change and its event together.
    await foyer.svc.db.kysely
      .transaction()
      .execute((trx) => revokeSessions(trx, ti.id, user.id, foyer.svc.now()));
    const after = await eventsNow();
    expect(after).toHaveLength(before.length + 1);
    expect(after[0]).toMatchObject({ type: "session.revoked", data: { id: sessionId, status: "revoked" } });
  });

  it("writes no event when the event itself cannot be written, and the change rolls back with it", async () => {
    const { user } = await signInTestUser(foyer, ti.instance);
    const before = await eventsNow();
    // The outbox refusing the write (a full disk, a broken table) must fail the change, not lose its event.
    await foyer.svc.db.kysely.schema.alterTable("events").renameTo("events_away").execute();
    try {
      await expect(updateUser(foyer.svc, user, { first_name: "Nobody" })).rejects.toThrow();
    } finally {
      await foyer.svc.db.kysely.schema.alterTable("events_away").renameTo("events").execute();
    }
    expect(await eventsNow()).toEqual(before);
    const row = await foyer.svc.db.kysely
      .selectFrom("users")
      .select("first_name")
      .where("id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(row.first_name).toBe("Ada");
  });
});
