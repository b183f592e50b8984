/**
 * Two Foyer processes on one database deliver every message exactly once: no attempt is made
 * twice (the claim is an UPDATE over rows picked FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite
 * has one writer), and nothing is left behind. PostgreSQL only: better-sqlite3 waits for a lock
 * synchronously, so two "processes" in one test thread would block each other; SQLite
 * deployments run one writer process.
 */
import { postgresUrl } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { createTestInstance, insertTestUser } from "@foyer/testkit/instances";
import { startWebhookReceiver, type WebhookReceiver } from "@foyer/testkit/webhook-receiver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { updateUser } from "../users/update-user.js";
import { startWebhookDelivery } from "./delivery-worker.js";
import { claimDue, fanOut } from "./webhook-delivery.js";
import { createEndpoint } from "./webhook-endpoints.js";

const N = 60;

describe.skipIf(!postgresUrl)("webhook delivery by two processes (postgres)", () => {
  const kind = "postgres" as const;
  let a: TestFoyer;
  let b: TestFoyer;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    a = await createTestFoyer(kind);
    b = await createTestFoyer(kind, {
      database: a.database,
      encryptionKey: a.encryptionKey,
      platformToken: a.platformToken,
      now: a.svc.now,
    });
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await b?.close();
    await a?.close();
  });

  it("never leases one message to both, however the claims interleave", async () => {
    const ti = await createTestInstance(a);
    await createEndpoint(a.svc, ti.instance, { url: receiver.url });
    const user = await insertTestUser(a, ti.instance);
    for (let i = 0; i < N; i++) await updateUser(a.svc, user, { first_name: `Claim ${i}` });
    await fanOut(a.svc);
    const claimed: string[] = [];
    for (let round = 0; round < 40; round++) {
      const batches = await Promise.all([
        claimDue(a.svc, "process-a", 2),
        claimDue(b.svc, "process-b", 2),
        claimDue(a.svc, "process-a2", 2),
        claimDue(b.svc, "process-b2", 2),
      ]);
      for (const batch of batches) claimed.push(...batch.map((m) => m.id));
    }
    expect(claimed).toHaveLength(N);
    expect(new Set(claimed).size).toBe(N);
  });

  it(`delivers ${N} events, each attempted once`, async () => {
    const ti = await createTestInstance(a);
    await createEndpoint(a.svc, ti.instance, { url: receiver.url });
    const user = await insertTestUser(a, ti.instance);
    for (let i = 0; i < N; i++) await updateUser(a.svc, user, { first_name: `Name ${i}` });

    // Small batches, so the two really interleave.
    const wa = startWebhookDelivery(a.svc, { timers: false, owner: "process-a" });
    const wb = startWebhookDelivery(b.svc, { timers: false, owner: "process-b" });
    const deliveredBy = { a: 0, b: 0 };
    for (let round = 0; round < 20 && receiver.received.length < N; round++) {
      const [ra, rb] = await Promise.all([wa.runOnce(), wb.runOnce()]);
      deliveredBy.a += ra.delivered;
      deliveredBy.b += rb.delivered;
    }
    await Promise.all([wa.stop(), wb.stop()]);

    const ids = receiver.received.map((r) => r.headers["webhook-id"]);
    expect(ids).toHaveLength(N);
    expect(new Set(ids).size).toBe(N);
    expect(deliveredBy.a + deliveredBy.b).toBe(N);
    const attempts = await a.svc.db.kysely
      .selectFrom("webhook_attempts")
      .select(["message_id"])
      .where("instance_id", "=", ti.id)
      .execute();
    expect(attempts).toHaveLength(N);
    expect(new Set(attempts.map((x) => x.message_id)).size).toBe(N);
    const messages = await a.svc.db.kysely
      .selectFrom("webhook_messages")
      .select(["status"])
      .where("instance_id", "=", ti.id)
      .execute();
    expect(messages.every((m) => m.status === "delivered")).toBe(true);
    expect(messages).toHaveLength(N);
  });
});
