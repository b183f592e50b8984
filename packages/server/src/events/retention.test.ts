/**
 * Expired events are pruned with their messages and log, but never one still to be sent.
 */
import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { createTestInstance, insertTestUser, type TestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { updateUser } from "../users/update-user.js";
import { pruneEvents, RETENTION_MS } from "./retention.js";
import { claimDue, fanOut } from "./webhook-delivery.js";
import { createEndpoint } from "./webhook-endpoints.js";

describe.each(DB_KINDS)("event retention (%s)", (kind) => {
  let foyer: TestFoyer;
  let ti: TestInstance;
  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
    ti = await createTestInstance(foyer);
  });
  afterAll(() => foyer?.close());

  const count = async (table: "events" | "webhook_messages") =>
    Number(
      (
        await foyer.svc.db.kysely
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("instance_id", "=", ti.id)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it("keeps undispatched and pending events, prunes the rest after the retention", async () => {
    const user = await insertTestUser(foyer, ti.instance);
    await updateUser(foyer.svc, user, { first_name: "No endpoint yet" });
    await fanOut(foyer.svc);
    await createEndpoint(foyer.svc, ti.instance, { url: "http://127.0.0.1:9/never" });
    await updateUser(foyer.svc, user, { first_name: "Pending" });
    await fanOut(foyer.svc);
    await updateUser(foyer.svc, user, { first_name: "Undispatched" });
    expect(await count("events")).toBe(3);

    expect(await pruneEvents(foyer.svc)).toBe(0);
    foyer.advance(RETENTION_MS + 1);
    // Only the event with nothing left to send goes.
    expect(await pruneEvents(foyer.svc)).toBe(1);
    expect(await count("events")).toBe(2);
    expect(await count("webhook_messages")).toBe(1);
    // Once its message is settled, the pending one goes too (messages cascade).
    const [claimed] = await claimDue(foyer.svc, "test", 10);
    await foyer.svc.db.kysely
      .updateTable("webhook_messages")
      .set({ status: "failed" })
      .where("id", "=", claimed!.id)
      .execute();
    expect(await pruneEvents(foyer.svc)).toBe(1);
    expect(await count("webhook_messages")).toBe(0);
    expect(await count("events")).toBe(1);
  });
});
