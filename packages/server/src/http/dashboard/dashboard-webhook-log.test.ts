/**
 * The dashboard's delivery log per message and "replay everything failed since a time": the
 * endpoint's log links each attempt to its message's page, which lists every attempt (time,
 * status, duration, the answer as kept, escaped); the replay form takes a UTC date and time,
 * refuses one that is not a time or is still to come, replays only what failed since then, and
 * like every dashboard form needs the session's CSRF token.
 */
import { type DashboardClient, signInToDashboard } from "@foyer/testkit/dashboard-client";
import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { createTestInstance, type TestInstance } from "@foyer/testkit/instances";
import { startWebhookReceiver, type WebhookReceiver } from "@foyer/testkit/webhook-receiver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DeliveryWorker, startWebhookDelivery } from "../../events/delivery-worker.js";
import { MAX_LOGGED_RESPONSE } from "../../events/webhook-delivery.js";
import { createEndpoint } from "../../events/webhook-endpoints.js";
import { sendTestEvent } from "../../events/webhook-log.js";
import { utcInputValue } from "./views/webhooks.js";
import { parseUtcInput } from "./webhook-routes.js";

const ANSWER = `<b>down</b>${"x".repeat(2 * MAX_LOGGED_RESPONSE)}`;

describe.each(DB_KINDS)("dashboard webhook log per message, replay since (%s)", (kind) => {
  let foyer: TestFoyer;
  let ti: TestInstance;
  let dash: DashboardClient;
  let receiver: WebhookReceiver;
  let worker: DeliveryWorker;
  let tab: string;
  let at: string;
  let messageId: string;
  let sentAt: number;
  const status = async () =>
    (
      await foyer.svc.db.kysely
        .selectFrom("webhook_messages")
        .select("status")
        .where("id", "=", messageId)
        .executeTakeFirstOrThrow()
    ).status;
  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
    ti = await createTestInstance(foyer);
    dash = await signInToDashboard(foyer);
    receiver = await startWebhookReceiver();
    // One retry, then the message is failed; jitter pinned so the wait is the schedule's.
    worker = startWebhookDelivery(foyer.svc, { timers: false, schedule: [60_000], random: () => 0.5 });
    const { endpoint } = await createEndpoint(foyer.svc, ti.instance, { url: receiver.url });
    tab = `/dashboard/instances/${ti.id}/webhooks`;
    at = `/dashboard/instances/${ti.id}/webhook-endpoints/${endpoint.id}`;
    receiver.answer(500, ANSWER);
    sentAt = foyer.svc.now();
    messageId = (await sendTestEvent(foyer.svc, ti.id, endpoint.id)).messageId;
    expect(await worker.runOnce()).toEqual({ attempted: 1, delivered: 0 });
    foyer.advance(61_000);
    expect(await worker.runOnce()).toEqual({ attempted: 1, delivered: 0 });
    expect(await status()).toBe("failed");
  });
  afterAll(async () => {
    await worker?.stop();
    await receiver?.close();
    await foyer?.close();
  });

  it("links the endpoint's log to a page with every attempt of the message", async () => {
    const messagePath = `${at}/messages/${messageId}`;
    const log = await dash.html(tab);
    expect(log).toContain(`href="${messagePath}"`);
    const page = await dash.html(messagePath);
    const rows = page.split("<tbody>")[1]!.split("</tbody>")[0]!.match(/<tr>/g) ?? [];
    expect(rows).toHaveLength(2);
    expect(page.match(/<td>500<\/td>/g)).toHaveLength(2);
    expect(page).toMatch(/<td>\d+ ms<\/td>/);
    expect(page).toContain("test event");
    // The answer as the log kept it: escaped, and cut at the log's limit.
    expect(page).not.toContain("<b>down</b>");
    expect(page).toContain("&lt;b&gt;down&lt;/b&gt;");
    expect(page).not.toContain("x".repeat(MAX_LOGGED_RESPONSE));
    // Oldest first: the first try, then the retry a minute later.
    const times = [...page.matchAll(/<time datetime="([^"]+)"/g)].map((m) => Date.parse(m[1]!));
    expect(times).toHaveLength(2);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(60_000);

    // A message id the endpoint has no attempts of, and another instance's endpoint, find nothing.
    expect((await dash.get(`${at}/messages/whm_nope`)).status).toBe(404);
    const other = await createTestInstance(foyer);
    expect(
      (
        await dash.get(
          `/dashboard/instances/${other.id}/webhook-endpoints/${at.split("/").pop()}/messages/${messageId}`,
        )
      ).status,
    ).toBe(404);
  });

  it("reads the replay time as UTC and refuses what is not a time", () => {
    expect(parseUtcInput("2026-01-31T09:00")).toBe(Date.UTC(2026, 0, 31, 9, 0));
    expect(parseUtcInput("2026-01-31T09:00:30")).toBe(Date.UTC(2026, 0, 31, 9, 0, 30));
    for (const bad of [
      "",
      "2026-02-30T10:00",
      "2026-12-01T24:00",
      "2026-01-31",
      "yesterday",
      "2026-01-31T09:00Z",
    ])
      expect(parseUtcInput(bad), bad).toBeUndefined();
    expect(parseUtcInput(utcInputValue(Date.UTC(2026, 5, 1, 12, 34, 56)))).toBe(Date.UTC(2026, 5, 1, 12, 34));
  });

  it("replays what failed since the typed time, refusing a bad or future time and a forged form", async () => {
    const replay = `${at}/replay-failed`;
    expect(await dash.html(tab)).toContain('type="datetime-local"');

    const forged = await dash.post(replay, { since: utcInputValue(sentAt - 60_000) }, { csrf: null });
    expect(forged.status).toBe(403);
    expect(await status()).toBe("failed");

    const notATime = await dash.post(replay, { since: "2026-02-30T10:00" });
    expect(notATime.status).toBe(422);
    const refusedPage = await notATime.text();
    expect(refusedPage).toContain("Enter a date and time (UTC)");
    expect(refusedPage).toContain('value="2026-02-30T10:00"');
    const future = await dash.post(replay, { since: utcInputValue(foyer.svc.now() + 3_600_000) });
    expect(future.status).toBe(422);
    expect(await future.text()).toContain("still to come");
    expect(await status()).toBe("failed");

    // Since a time after the message was made: nothing to replay, and the notice says so.
    foyer.advance(5 * 60_000);
    const after = await dash.post(replay, { since: utcInputValue(sentAt + 2 * 60_000) });
    expect(after.status).toBe(303);
    expect(after.headers.get("location")).toContain("notice=webhook_replay_nothing");
    expect(await status()).toBe("failed");

    const before = await dash.post(replay, { since: utcInputValue(sentAt - 60_000) });
    expect(before.status).toBe(303);
    expect(before.headers.get("location")).toContain("notice=webhook_replayed");
    expect(await status()).toBe("pending");
    receiver.answer(200, "ok");
    expect(await worker.runOnce()).toEqual({ attempted: 1, delivered: 1 });
    const page = await dash.html(`${at}/messages/${messageId}`);
    expect(page.match(/<td>500<\/td>/g)).toHaveLength(2);
    expect(page).toContain("<td>200</td>");
  });

  it("replays one message from its page and comes back to it", async () => {
    const messagePath = `${at}/messages/${messageId}`;
    const res = await dash.post(`${messagePath}/replay`, { return_to: "message" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${messagePath}?notice=webhook_replayed`);
    expect(await status()).toBe("pending");
    expect((await dash.post(`${messagePath}/replay`, {}, { csrf: null })).status).toBe(403);
  });
});
