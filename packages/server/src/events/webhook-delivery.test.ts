/**
 * Delivery to a real receiver on loopback: signed so that Standard Webhooks, Svix and Clerk's
 * verifyWebhook accept it; retried on the schedule after a failure and then no more; kept across
 * a restart and across a crash in the middle of an attempt; disabled after days of failures;
 * signed by both secrets for a day after a rotation.
 */
import { verifyWebhook as clerkVerifyWebhook } from "@clerk/backend/webhooks";
import { verifyWebhook as foyerVerifyWebhook } from "@foyer/backend";
import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { createTestInstance, insertTestUser, type TestInstance } from "@foyer/testkit/instances";
import { startWebhookReceiver, type WebhookReceiver } from "@foyer/testkit/webhook-receiver";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { Webhook as SvixWebhook } from "svix";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { updateUser } from "../users/update-user.js";
import { type DeliveryWorker, startWebhookDelivery } from "./delivery-worker.js";
import { RETRY_SCHEDULE_MS } from "./retry-schedule.js";
import { claimDue, DISABLE_AFTER_MS, LEASE_MS } from "./webhook-delivery.js";
import { createEndpoint, getEndpoint, PREVIOUS_SECRET_MS, rotateSecret } from "./webhook-endpoints.js";

const flatHeaders = (h: Record<string, string | string[] | undefined>) =>
  Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]));

describe.each(DB_KINDS)("webhook delivery (%s)", (kind) => {
  let foyer: TestFoyer;
  let ti: TestInstance;
  let receiver: WebhookReceiver;
  let worker: DeliveryWorker;
  // Jitter pinned to its middle, so the waits are the schedule's.
  const opts = { timers: false, random: () => 0.5 };

  // A Foyer per test: each moves its own clock by days, and verifiers check timestamps against real time.
  beforeEach(async () => {
    foyer = await createTestFoyer(kind);
    ti = await createTestInstance(foyer);
    receiver = await startWebhookReceiver();
    worker = startWebhookDelivery(foyer.svc, opts);
  });
  afterEach(async () => {
    await worker.stop();
    await receiver.close();
    await foyer.close();
  });

  async function change(firstName: string) {
    const user = await insertTestUser(foyer, ti.instance);
    await updateUser(foyer.svc, user, { first_name: firstName });
    return user;
  }

  it("delivers a change once, signed so Standard Webhooks, Svix and Clerk verify it", async () => {
    const { secret } = await createEndpoint(foyer.svc, ti.instance, { url: receiver.url });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const user = await change("Verified");
    expect(await worker.runOnce()).toEqual({ attempted: 1, delivered: 1 });
    expect(await worker.runOnce()).toEqual({ attempted: 0, delivered: 0 });
    expect(receiver.received).toHaveLength(1);
    const [hit] = receiver.received;
    const headers = flatHeaders(hit!.headers);
    expect(headers["webhook-id"]).toMatch(/^evt_/);
    expect(headers["svix-id"]).toBe(headers["webhook-id"]);
    expect(headers["svix-signature"]).toBe(headers["webhook-signature"]);

    const std = new StandardWebhook(secret).verify(hit!.body, headers) as {
      type: string;
      data: { id: string };
    };
    expect(std).toMatchObject({
      object: "event",
      type: "user.updated",
      instance_id: ti.id,
      data: { id: user.id },
    });
    expect(new SvixWebhook(secret).verify(hit!.body, headers)).toEqual(std);
    const clerk = await clerkVerifyWebhook(
      new Request("http://app.test/webhooks", { method: "POST", headers, body: hit!.body }),
      { signingSecret: secret },
    );
    expect(clerk).toMatchObject({ type: "user.updated", data: { id: user.id, first_name: "Verified" } });
    const own = await foyerVerifyWebhook(
      new Request("http://app.test/webhooks", { method: "POST", headers, body: hit!.body }),
      secret,
    );
    expect(own).toEqual(std);
    // A tampered body fails all of them.
    const forged = hit!.body.replace("Verified", "Forged!!");
    expect(() => new StandardWebhook(secret).verify(forged, headers)).toThrow();
    expect(() => new SvixWebhook(secret).verify(forged, headers)).toThrow();
  });

  it("retries a receiver that answered 500 on the schedule, then sends no more once it answered 200", async () => {
    await createEndpoint(foyer.svc, ti.instance, { url: receiver.url });
    receiver.answer(500, "down for maintenance");
    await change("Retried");
    expect(await worker.runOnce()).toEqual({ attempted: 1, delivered: 0 });
    // Not before the first retry is due (5 s, within the jitter).
    foyer.advance(RETRY_SCHEDULE_MS[0]! * 0.5);
    expect(await worker.runOnce()).toEqual({ attempted: 0, delivered: 0 });
    receiver.answer(200);
    foyer.advance(RETRY_SCHEDULE_MS[0]! * 0.7);
    expect(await worker.runOnce()).toEqual({ attempted: 1, delivered: 1 });
    foyer.advance(2 * 24 * 3_600_000);
    expect(await worker.runOnce()).toEqual({ attempted: 0, delivered: 0 });
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[0]!.headers["webhook-id"]).toBe(receiver.received[1]!.headers["webhook-id"]);
  });

  it("fails a message after the whole schedule, about a day of tries", async () => {
    await createEndpoint(foyer.svc, ti.instance, { url: receiver.url });
    receiver.answer(503);
    await change("Never");
    let tries = 0;
    for (let i = 0; i <= RETRY_SCHEDULE_MS.length + 2; i++) {
      tries += (await worker.runOnce()).attempted;
      foyer.advance(RETRY_SCHEDULE_MS[Math.min(i, RETRY_SCHEDULE_MS.length - 1)]! * 1.3);
    }
    expect(tries).toBe(RETRY_SCHEDULE_MS.length + 1);
    const msg = await foyer.svc.db.kysely
      .selectFrom("webhook_messages")
      .selectAll()
      .where("instance_id", "=", ti.id)
      .executeTakeFirstOrThrow();
    expect(msg).toMatchObject({
      status: "failed",
      attempt_count: RETRY_SCHEDULE_MS.length + 1,
      next_attempt_at: null,
    });
  });

  it("delivers after a restart what was committed before it, and takes over a crashed attempt when its lease ends", async () => {
    await createEndpoint(foyer.svc, ti.instance, { url: receiver.url });
    await change("Before the crash");
    await worker.stop();
    // A process claimed the message and died before attempting it.
    const { fanOut } = await import("./webhook-delivery.js");
    await fanOut(foyer.svc);
    expect(await claimDue(foyer.svc, "crashed-process", 10)).toHaveLength(1);
    // A new process on the same database (the restart).
    const second = await createTestFoyer(kind, {
      database: foyer.database,
      encryptionKey: foyer.encryptionKey,
      platformToken: foyer.platformToken,
      now: foyer.svc.now,
    });
    try {
      const restarted = startWebhookDelivery(second.svc, opts);
      expect(await restarted.runOnce()).toEqual({ attempted: 0, delivered: 0 });
      foyer.advance(LEASE_MS + 1);
      expect(await restarted.runOnce()).toEqual({ attempted: 1, delivered: 1 });
      await restarted.stop();
    } finally {
      await second.svc.db.close();
    }
    expect(receiver.received).toHaveLength(1);
    expect(JSON.parse(receiver.received[0]!.body).data.first_name).toBe("Before the crash");
    worker = startWebhookDelivery(foyer.svc, opts);
  });

  it("disables an endpoint whose every delivery failed for five days, with the reason", async () => {
    const { endpoint } = await createEndpoint(foyer.svc, ti.instance, { url: receiver.url });
    receiver.answer(500);
    await change("Day one");
    await worker.runOnce();
    expect((await getEndpoint(foyer.svc, ti.id, endpoint.id)).enabled).toBe(1);
    foyer.advance(DISABLE_AFTER_MS);
    await change("Day five");
    await worker.runOnce();
    const disabled = await getEndpoint(foyer.svc, ti.id, endpoint.id);
    expect(disabled.enabled).toBe(0);
    expect(disabled.disabled_reason).toMatch(/every delivery failed since .* \(last: HTTP 500\)/);
    // Nothing more goes out to it.
    const before = receiver.received.length;
    await change("After");
    foyer.advance(RETRY_SCHEDULE_MS[1]!);
    await worker.runOnce();
    expect(receiver.received.length).toBe(before);
  });

  it("signs with the old and the new secret for a day after a rotation, then with the new one only", async () => {
    const { endpoint, secret: old } = await createEndpoint(foyer.svc, ti.instance, { url: receiver.url });
    const fresh = await rotateSecret(foyer.svc, ti.id, endpoint.id);
    await change("Rotated");
    await worker.runOnce();
    const headers = flatHeaders(receiver.received[0]!.headers);
    expect(headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(() => new StandardWebhook(old).verify(receiver.received[0]!.body, headers)).not.toThrow();
    expect(() => new StandardWebhook(fresh).verify(receiver.received[0]!.body, headers)).not.toThrow();
    foyer.advance(PREVIOUS_SECRET_MS + 1);
    await change("Later");
    await worker.runOnce();
    expect(flatHeaders(receiver.received[1]!.headers)["webhook-signature"]!.split(" ")).toHaveLength(1);
  });

  it("refuses a 3xx as a failure, without following it", async () => {
    await createEndpoint(foyer.svc, ti.instance, { url: receiver.url });
    receiver.answer(302, "moved", { location: "http://127.0.0.1:9/elsewhere" });
    await change("Redirected");
    expect(await worker.runOnce()).toEqual({ attempted: 1, delivered: 0 });
    const attempt = await foyer.svc.db.kysely
      .selectFrom("webhook_attempts")
      .selectAll()
      .where("instance_id", "=", ti.id)
      .executeTakeFirstOrThrow();
    expect(attempt).toMatchObject({ status_code: 302, error: "redirect", response_body: "moved" });
    expect(receiver.received).toHaveLength(1);
  });
});
