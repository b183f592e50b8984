/**
 * The dashboard's Webhooks tab: add an endpoint (refused URLs shown on the form), reveal its
 * secret on demand, send a test event and see it in the delivery log, rotate, disable, delete.
 * Text an operator typed is escaped.
 */
import { type DashboardClient, signInToDashboard } from "@foyer/testkit/dashboard-client";
import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { createTestInstance, type TestInstance } from "@foyer/testkit/instances";
import { startWebhookReceiver, type WebhookReceiver } from "@foyer/testkit/webhook-receiver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWebhookDelivery } from "../../events/delivery-worker.js";
import { listEndpoints } from "../../events/webhook-endpoints.js";

const XSS = "<img src=x onerror=alert(1)>";

describe.each(DB_KINDS)("dashboard webhooks (%s)", (kind) => {
  let foyer: TestFoyer;
  let ti: TestInstance;
  let dash: DashboardClient;
  let receiver: WebhookReceiver;
  let tab: string;
  let base: string;
  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
    ti = await createTestInstance(foyer);
    dash = await signInToDashboard(foyer);
    receiver = await startWebhookReceiver();
    tab = `/dashboard/instances/${ti.id}/webhooks`;
    base = `/dashboard/instances/${ti.id}/webhook-endpoints`;
  });
  afterAll(async () => {
    await receiver?.close();
    await foyer?.close();
  });

  it("shows the form, and a refused URL on it with the reason", async () => {
    expect(await dash.html(tab)).toContain("Add an endpoint");
    const refused = await dash.post(base, { url: "ftp://example.com/x" });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain("not usable");
  });

  it("adds an endpoint, reveals its secret only on request, and logs a test delivery", async () => {
    const res = await dash.post(base, {
      url: receiver.url,
      description: XSS,
      event_types: ["user.created", "webhook.test"],
    });
    expect(res.status).toBe(303);
    const [row] = await listEndpoints(foyer.svc, ti.id);
    const html = await dash.html(tab);
    expect(html).toContain(receiver.url);
    expect(html).not.toContain(XSS);
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    const reveal = await dash.post(`${base}/${row!.id}/secret`);
    const { key } = await reveal.json();
    expect(key).toMatch(/^whsec_/);
    expect(html).not.toContain(key);

    expect((await dash.post(`${base}/${row!.id}/test`)).status).toBe(303);
    const worker = startWebhookDelivery(foyer.svc, { timers: false });
    expect(await worker.runOnce()).toEqual({ attempted: 1, delivered: 1 });
    await worker.stop();
    const logged = await dash.html(tab);
    expect(logged).toMatch(/<td>200<\/td>/);
    expect(logged).toContain("Replay");
  });

  it("rotates, disables with a visible state, enables and deletes", async () => {
    const [row] = await listEndpoints(foyer.svc, ti.id);
    const before = (await (await dash.post(`${base}/${row!.id}/secret`)).json()).key;
    await dash.post(`${base}/${row!.id}/rotate`);
    expect((await (await dash.post(`${base}/${row!.id}/secret`)).json()).key).not.toBe(before);
    await dash.post(`${base}/${row!.id}/disable`);
    expect(await dash.html(tab)).toContain("Disabled");
    await dash.post(`${base}/${row!.id}/enable`);
    expect((await listEndpoints(foyer.svc, ti.id))[0]!.enabled).toBe(1);
    expect((await dash.post(`${base}/${row!.id}/delete`)).status).toBe(303);
    expect(await listEndpoints(foyer.svc, ti.id)).toEqual([]);
    // Another instance's endpoint id finds nothing.
    expect((await dash.post(`${base}/whe_nope/secret`)).status).toBe(404);
  });
});
