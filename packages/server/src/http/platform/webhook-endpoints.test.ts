/**
 * The Platform API's webhook endpoints, through the app's handler, with a real receiver: create
 * (the answer carries the whsec_ secret), list, get, update, reveal, rotate, send a test event,
 * read the delivery log, replay one message and everything failed since a time, delete.
 */
import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { createTestInstance, insertTestUser, type TestInstance } from "@foyer/testkit/instances";
import { startWebhookReceiver, type WebhookReceiver } from "@foyer/testkit/webhook-receiver";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DeliveryWorker, startWebhookDelivery } from "../../events/delivery-worker.js";
import { updateUser } from "../../users/update-user.js";

describe.each(DB_KINDS)("Platform API: webhook endpoints (%s)", (kind) => {
  let foyer: TestFoyer;
  let ti: TestInstance;
  let receiver: WebhookReceiver;
  let worker: DeliveryWorker;
  let path: string;

  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
    ti = await createTestInstance(foyer);
    receiver = await startWebhookReceiver();
    worker = startWebhookDelivery(foyer.svc, { timers: false, random: () => 0.5 });
    path = `/instances/${ti.id}/webhook_endpoints`;
  });
  afterAll(async () => {
    await worker?.stop();
    await receiver?.close();
    await foyer?.close();
  });

  const code = async (res: Response) => (await res.json()).errors[0].code as string;

  it("creates an endpoint, answering with its secret once; list and get never show it", async () => {
    const res = await foyer.platform(path, {
      method: "POST",
      json: { url: receiver.url, description: "Our sync", event_types: ["user.updated", "webhook.test"] },
    });
    expect(res.status).toBe(201);
    const created = await res.json();
    expect(created).toMatchObject({
      object: "webhook_endpoint",
      url: receiver.url,
      description: "Our sync",
      event_types: ["user.updated", "webhook.test"],
      enabled: true,
      disabled_reason: null,
    });
    expect(created.secret).toMatch(/^whsec_/);
    const list = await (await foyer.platform(path)).json();
    expect(list.total_count).toBe(1);
    expect(JSON.stringify(list)).not.toContain(created.secret);
    const got = await (await foyer.platform(`${path}/${created.id}`)).json();
    expect(got).not.toHaveProperty("secret");
    const reveal = await foyer.platform(`${path}/${created.id}/secret`);
    expect(reveal.headers.get("cache-control")).toBe("no-store");
    expect(await reveal.json()).toEqual({ object: "webhook_endpoint_secret", secret: created.secret });
  });

  it("refuses bad input with stable codes", async () => {
    const post = (json: unknown) => foyer.platform(path, { method: "POST", json });
    expect(await code(await post({ url: "ftp://example.com/x" }))).toBe("webhook_url_invalid");
    expect(await code(await post({ url: "http://example.com/x" }))).toBe("webhook_url_invalid");
    expect(await code(await post({ url: "https://user:pw@example.com/x" }))).toBe("webhook_url_invalid");
    expect(await code(await post({ url: "https://example.com/x", extra: 1 }))).toBe("form_param_unknown");
    expect((await post({ url: "https://example.com/x", event_types: ["user.exploded"] })).status).toBe(422);
    expect((await foyer.platform(`${path}/whe_nope`)).status).toBe(404);
    expect((await foyer.platform(`/instances/ins_nope/webhook_endpoints`)).status).toBe(404);
  });

  it("sends a test event, logs the attempt with status, duration and a truncated answer, and replays", async () => {
    const [endpoint] = (await (await foyer.platform(path)).json()).data;
    receiver.answer(200, "y".repeat(5000));
    const sent = await foyer.platform(`${path}/${endpoint.id}/test`, { method: "POST", json: {} });
    expect(sent.status).toBe(202);
    const { id: messageId } = await sent.json();
    expect(await worker.runOnce()).toEqual({ attempted: 1, delivered: 1 });
    expect(JSON.parse(receiver.received.at(-1)!.body)).toMatchObject({ type: "webhook.test" });

    const log = await (await foyer.platform(`${path}/${endpoint.id}/attempts`)).json();
    expect(log.data[0]).toMatchObject({
      object: "webhook_attempt",
      message_id: messageId,
      status_code: 200,
      trigger: "test",
      duration_ms: expect.any(Number),
    });
    expect(log.data[0].response_body.length).toBe(1000);

    const replay = await foyer.platform(`${path}/${endpoint.id}/messages/${messageId}/replay`, {
      method: "POST",
      json: {},
    });
    expect(replay.status).toBe(202);
    expect(await worker.runOnce()).toEqual({ attempted: 1, delivered: 1 });
    const again = await (
      await foyer.platform(`${path}/${endpoint.id}/attempts?message_id=${messageId}`)
    ).json();
    expect(again.total_count).toBe(2);
    expect((await foyer.platform(`${path}/${endpoint.id}/attempts?limit=0`)).status).toBe(400);
  });

  it("replays every message that failed since a time", async () => {
    const [endpoint] = (await (await foyer.platform(path)).json()).data;
    const since = foyer.svc.now();
    receiver.answer(500);
    const user = await insertTestUser(foyer, ti.instance);
    await updateUser(foyer.svc, user, { first_name: "One" });
    await updateUser(foyer.svc, user, { first_name: "Two" });
    await worker.runOnce();
    // Spend the schedule: both fail for good.
    for (let i = 0; i < 10; i++) {
      foyer.advance(11 * 3_600_000);
      await worker.runOnce();
    }
    receiver.answer(200);
    const res = await foyer.platform(`${path}/${endpoint.id}/replay_failed`, {
      method: "POST",
      json: { since },
    });
    expect(await res.json()).toEqual({ object: "webhook_replay", replayed: 2 });
    expect(await worker.runOnce()).toEqual({ attempted: 2, delivered: 2 });
    // Back to real time: the next test's receivers check timestamps against the wall clock.
    foyer.advance(-10 * 11 * 3_600_000);
  });

  it("rotates the secret (both sign for a day), disables, enables and deletes", async () => {
    const [endpoint] = (await (await foyer.platform(path)).json()).data;
    const old = (await (await foyer.platform(`${path}/${endpoint.id}/secret`)).json()).secret;
    const rotated = await (
      await foyer.platform(`${path}/${endpoint.id}/rotate_secret`, { method: "POST", json: {} })
    ).json();
    expect(rotated.secret).not.toBe(old);

    const off = await foyer.platform(`${path}/${endpoint.id}`, { method: "PATCH", json: { enabled: false } });
    expect(await off.json()).toMatchObject({ enabled: false });
    const before = receiver.received.length;
    await foyer.platform(`${path}/${endpoint.id}/test`, { method: "POST", json: {} });
    await worker.runOnce();
    expect(receiver.received.length).toBe(before);

    await foyer.platform(`${path}/${endpoint.id}`, { method: "PATCH", json: { enabled: true } });
    await foyer.platform(`${path}/${endpoint.id}/test`, { method: "POST", json: {} });
    await worker.runOnce();
    const hit = receiver.received.at(-1)!;
    const headers = Object.fromEntries(Object.entries(hit.headers).map(([k, v]) => [k, String(v)]));
    expect(() => new Webhook(rotated.secret).verify(hit.body, headers)).not.toThrow();
    expect(() => new Webhook(old).verify(hit.body, headers)).not.toThrow();

    expect((await foyer.platform(`${path}/${endpoint.id}`, { method: "DELETE" })).status).toBe(200);
    expect((await foyer.platform(`${path}/${endpoint.id}`)).status).toBe(404);
  });

  it("refuses, at every delivery, a production endpoint that resolves to loopback", async () => {
    const prod = await foyer.platform(`/applications/${ti.instance.application_id}/instances`, {
      method: "POST",
      json: { environment: "production" },
    });
    const prodId = (await prod.json()).id as string;
    const prodPath = `/instances/${prodId}/webhook_endpoints`;
    expect(await code(await foyer.platform(prodPath, { method: "POST", json: { url: receiver.url } }))).toBe(
      "webhook_url_invalid",
    );
    // https://localhost passes the URL rules; the address it resolves to does not.
    const port = new URL(receiver.url).port;
    const created = await foyer.platform(prodPath, {
      method: "POST",
      json: { url: `https://localhost:${port}/hook` },
    });
    expect(created.status).toBe(201);
    const endpoint = await created.json();
    const before = receiver.received.length;
    await foyer.platform(`${prodPath}/${endpoint.id}/test`, { method: "POST", json: {} });
    expect(await worker.runOnce()).toEqual({ attempted: 1, delivered: 0 });
    expect(receiver.received.length).toBe(before);
    const log = await (await foyer.platform(`${prodPath}/${endpoint.id}/attempts`)).json();
    expect(log.data[0]).toMatchObject({
      status_code: null,
      error: expect.stringMatching(/^address_refused: loopback/),
    });
  });
});
