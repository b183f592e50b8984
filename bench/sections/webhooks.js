/**
 * 7. Events and webhooks, in process on SQLite:
 * - the outbox's cost: a Backend API user update with its `user.updated` event (the user read
 *   back and serialised inside the transaction, the event row written) against the same update
 *   in a transaction without the event;
 * - delivery: events delivered per second by one worker to a loopback receiver, against bare
 *   POSTs to the same receiver (fresh connection each, as the guard makes them).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServices } from "../../packages/server/dist/bootstrap.js";
import { loadConfig } from "../../packages/server/dist/config.js";
import { startWebhookDelivery } from "../../packages/server/dist/events/delivery-worker.js";
import { createEndpoint } from "../../packages/server/dist/events/webhook-endpoints.js";
import { createApplication } from "../../packages/server/dist/instances/applications.js";
import { createLogger } from "../../packages/server/dist/log.js";
import { updateUser } from "../../packages/server/dist/users/update-user.js";

async function receiver() {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.end("ok"));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { server, url: `http://127.0.0.1:${server.address().port}/hook` };
}

function barePost(url, body) {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: "POST", agent: false, headers: { "content-type": "application/json" } },
      (res) => {
        res.resume();
        res.on("end", resolve);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function timed(n, fn) {
  const started = performance.now();
  for (let i = 0; i < n; i++) await fn(i);
  return (n * 1000) / (performance.now() - started);
}

export async function benchWebhooks({ events }) {
  const dir = mkdtempSync(join(tmpdir(), "foyer-bench-webhooks-"));
  const config = loadConfig({
    DATABASE_URL: join(dir, "foyer.db"),
    FOYER_PUBLIC_URL: "http://127.0.0.1:3999",
    FOYER_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
    FOYER_PLATFORM_TOKEN: "fyr_plat_bench_webhooks_0123456789abcdef",
    FOYER_DATA_DIR: dir,
    LOG_LEVEL: "silent",
  });
  const svc = await createServices(config, createLogger("silent"), {
    atlassian: {
      authUrl: "http://127.0.0.1:1",
      apiUrl: "http://127.0.0.1:1",
      shared: undefined,
      emulated: false,
      timeoutMs: 1000,
    },
  });
  const rx = await receiver();
  try {
    const { instance } = await createApplication(svc, "Bench webhooks");
    const now = Date.now();
    const user = {
      id: "user_bench_webhooks",
      instance_id: instance.id,
      first_name: "Ada",
      last_name: "Lovelace",
      username: null,
      image_url: null,
      locale: null,
      primary_email_address_id: null,
      public_metadata: "{}",
      private_metadata: "{}",
      unsafe_metadata: "{}",
      last_sign_in_at: null,
      banned: 0,
      locked: 0,
      created_at: now,
      updated_at: now,
    };
    await svc.db.kysely.insertInto("users").values(user).execute();
    // Warm both paths, then alternate rounds so neither gets the quieter moment.
    const withEvent = (i) => updateUser(svc, user, { first_name: `Ada ${i}` });
    const withoutEvent = (i) =>
      svc.db.kysely.transaction().execute((trx) =>
        trx
          .updateTable("users")
          .set({ first_name: `Ada ${i}`, updated_at: Date.now() })
          .where("id", "=", user.id)
          .execute(),
      );
    await timed(50, withEvent);
    await timed(50, withoutEvent);
    const a = [];
    const b = [];
    for (let round = 0; round < 3; round++) {
      a.push(await timed(events, withEvent));
      b.push(await timed(events, withoutEvent));
    }
    const updatesWithEvent = Math.max(...a);
    const updatesWithout = Math.max(...b);

    // Delivery: the events written above are already in the outbox; an endpoint now gets new ones.
    await svc.db.kysely.updateTable("events").set({ dispatched: 1 }).execute();
    await createEndpoint(svc, instance, { url: rx.url });
    for (let i = 0; i < events; i++) await withEvent(i);
    const worker = startWebhookDelivery(svc, { timers: false });
    const started = performance.now();
    let delivered = 0;
    while (delivered < events) {
      const r = await worker.runOnce();
      if (r.attempted === 0) break;
      delivered += r.delivered;
    }
    const deliveredPerSecond = (delivered * 1000) / (performance.now() - started);
    await worker.stop();
    const body = JSON.stringify({ object: "event", data: user });
    // The worker sends 8 at a time: the bare baseline does too.
    const bareStarted = performance.now();
    for (let i = 0; i < events; i += 8) {
      await Promise.all(Array.from({ length: Math.min(8, events - i) }, () => barePost(rx.url, body)));
    }
    const barePerSecond = (events * 1000) / (performance.now() - bareStarted);
    return {
      updates_with_event_per_second: updatesWithEvent,
      updates_without_event_per_second: updatesWithout,
      delivered,
      delivered_per_second: deliveredPerSecond,
      bare_posts_per_second: barePerSecond,
    };
  } finally {
    await new Promise((r) => rx.server.close(r));
    await svc.db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
