/**
 * A real `foyer start` process killed (SIGKILL) between a change and its delivery: the event is
 * in the database, so the next process delivers it. The receiver is down for the first attempt,
 * so the kill lands while the message waits for its first retry (5 s, real time: the children
 * run the real clock).
 *
 * On both databases. On SQLite the child opens the test's database file, so the test process and
 * the child are two processes on one file, as an operator's `foyer start` beside `foyer rekey`
 * would be. better-sqlite3 waits for a lock synchronously, so the test process must never hold
 * the write lock while it waits for the child: its writes (the endpoint, the user, the update)
 * are each one short transaction committed before the child is needed, and every wait is a loop
 * of plain reads (WAL lets them run beside the child's writer) with a timer between them, so the
 * child's claims and attempt records never find the file locked for longer than one of them.
 */
import { startTokenEmulator, type TokenEmulator } from "@foyer/testkit/atlassian-user";
import { DB_KINDS } from "@foyer/testkit/databases";
import {
  buildForChildren,
  type FoyerChild,
  startFoyerChild,
  stopFoyerChildren,
} from "@foyer/testkit/foyer-children";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { createTestInstance, insertTestUser } from "@foyer/testkit/instances";
import { startWebhookReceiver, type WebhookReceiver } from "@foyer/testkit/webhook-receiver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { updateUser } from "../users/update-user.js";
import { createEndpoint } from "./webhook-endpoints.js";

async function until(probe: () => Promise<boolean> | boolean, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(DB_KINDS)("webhook delivery across a killed process (%s)", (kind) => {
  let te: TokenEmulator;
  let foyer: TestFoyer;
  let receiver: WebhookReceiver;
  const children: FoyerChild[] = [];
  beforeAll(async () => {
    buildForChildren();
    te = await startTokenEmulator();
    foyer = await createTestFoyer(kind, { atlassian: te.atlassian });
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await stopFoyerChildren(children);
    await receiver?.close();
    await foyer?.close();
    await te?.emulator.close();
  });

  it("delivers after a restart what the killed process had not delivered", { timeout: 60_000 }, async () => {
    const ti = await createTestInstance(foyer);
    const { endpoint } = await createEndpoint(foyer.svc, ti.instance, { url: receiver.url });
    receiver.answer(503, "down");
    const first = await startFoyerChild({ foyer, te });
    children.push(first);
    const user = await insertTestUser(foyer, ti.instance);
    await updateUser(foyer.svc, user, { first_name: "Survivor" });
    const attempts = () =>
      foyer.svc.db.kysely
        .selectFrom("webhook_attempts")
        .selectAll()
        .where("endpoint_id", "=", endpoint.id)
        .execute();
    await until(async () => (await attempts()).length === 1, 10_000, "the first attempt");
    first.proc.kill("SIGKILL");
    await first.exited;

    receiver.answer(200);
    const second = await startFoyerChild({ foyer, te });
    children.push(second);
    const messageStatus = async () =>
      (
        await foyer.svc.db.kysely
          .selectFrom("webhook_messages")
          .select("status")
          .where("endpoint_id", "=", endpoint.id)
          .executeTakeFirstOrThrow()
      ).status;
    await until(() => receiver.received.length === 2, 20_000, "the retry from the new process");
    // The receiver hears the POST before the child records its answer: wait for the record.
    await until(async () => (await messageStatus()) !== "pending", 10_000, "the retry's record");
    const [failed, delivered] = receiver.received;
    expect(delivered!.headers["webhook-id"]).toBe(failed!.headers["webhook-id"]);
    expect(JSON.parse(delivered!.body)).toMatchObject({
      type: "user.updated",
      data: { first_name: "Survivor" },
    });
    const log = await attempts();
    expect(log.map((a) => a.status_code).sort()).toEqual([200, 503]);
    expect(await messageStatus()).toBe("delivered");
  });
});
