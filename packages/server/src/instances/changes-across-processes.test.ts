/**
 * Two Foyer processes on one PostgreSQL database (two servers in this process, each with its own
 * Services, pool, caches and change listener): what an operator or a user changes through A is
 * in force on B within a second, not after B's cache TTL (2 s). Each check first makes B load
 * (and cache) the old state, then changes it through A, then polls B with a 1 s deadline; with
 * the change feed disabled the instance checks fail (B serves its cached copy for ~2 s).
 */
import { DEMO_IDS } from "@foyer/atlassian-emulator";
import { postgresUrl } from "@foyer/testkit/databases";
import {
  CookieJar,
  createEmulatedFoyer,
  type EmulatedFoyer,
  signInFlow,
} from "@foyer/testkit/emulated-foyer";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { createTestInstance, signInTestUser, type TestInstance } from "@foyer/testkit/instances";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** Polls until `ok` holds; fails once a second has passed since the change. */
async function withinASecond(what: string, ok: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 1_000;
  for (;;) {
    if (await ok()) return;
    if (Date.now() > deadline) throw new Error(`${what}: not seen by the other process within 1 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function listening(foyer: TestFoyer): Promise<number> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const status = foyer.svc.db.changes.status();
    if (status.listening && status.backendPid) return status.backendPid;
    if (Date.now() > deadline) throw new Error("the change listener never connected");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(!postgresUrl)("changes across two processes (postgres)", () => {
  let a: EmulatedFoyer;
  let b: TestFoyer;
  let t: TestInstance;
  const app = "https://app.example.com";

  beforeAll(async () => {
    a = await createEmulatedFoyer("postgres");
    b = await createTestFoyer("postgres", {
      database: a.database,
      encryptionKey: a.encryptionKey,
      platformToken: a.platformToken,
      atlassian: a.svc.atlassian,
      now: a.svc.now,
    });
    t = await createTestInstance(a);
    // B's first Frontend API request subscribes its cache, which starts its listener.
    await b.request(`${t.fapiPath}/v1/client`);
    await listening(b);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const preflight = (foyer: TestFoyer, origin: string) =>
    foyer.request(`${t.fapiPath}/v1/client`, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST" },
    });
  const patch = async (json: Record<string, unknown>) => {
    const res = await a.platform(`/instances/${t.id}`, { method: "PATCH", json });
    expect(res.status).toBe(200);
  };

  it("an allowed origin added on A is honoured by B within a second", async () => {
    const origin = "https://new-origin.example.com";
    expect((await preflight(b, origin)).status).toBe(403); // B now caches the old origins
    await patch({ allowed_origins: [origin] });
    await withinASecond("allowed origin", async () => (await preflight(b, origin)).status === 204);
  });

  it("a secret key revoked on A is refused by B within a second", async () => {
    const created = await (
      await a.platform(`/instances/${t.id}/secret_keys`, { method: "POST", json: {} })
    ).json();
    const onB = () => b.request("/v1/users", { headers: { authorization: `Bearer ${created.key}` } });
    expect((await onB()).status).toBe(200);
    const del = await a.platform(`/instances/${t.id}/secret_keys/${created.id}`, { method: "DELETE" });
    expect(del.status).toBe(200);
    await withinASecond("secret key revocation", async () => (await onB()).status === 401);
  });

  it("an after-sign-in URL set on A is where a sign-in through B lands, within a second", async () => {
    await patch({ allowed_origins: [app], after_sign_in_url: null });
    // B caches the instance without the new URL's origin rules and without the URL.
    await withinASecond("allowed origins", async () => (await preflight(b, app)).status === 204);
    await patch({ allowed_origins: [app, "https://other.example.com"], after_sign_in_url: `${app}/welcome` });
    await withinASecond("allowed origins for the after-sign-in URL", async () => {
      // The redirect check of a sign-in start reads B's cached instance.
      const start = await b.request(`${t.fapiPath}/v1/client/sign_ins`, {
        method: "POST",
        json: { strategy: "oauth_atlassian", redirect_url: "https://other.example.com/x" },
      });
      return start.status === 200;
    });
    const flow = await signInFlow({ ...a, ...b, emulator: a.emulator }, new CookieJar(), t.id, {
      accountId: DEMO_IDS.ada,
      cloudId: DEMO_IDS.acme,
    });
    expect(flow.callback.status).toBe(303);
    expect(flow.location).toBe(`${app}/welcome`);
  });

  it("an inactivity timeout set on A ends idle sessions on B within a second", async () => {
    const user = await signInTestUser(a, t.instance);
    const mintOnB = () =>
      b.request(`${t.fapiPath}/v1/client/sessions/${user.sessionId}/tokens`, {
        method: "POST",
        headers: { cookie: user.cookie },
      });
    // Two minutes idle before every mint (a mint B lets through touches the session again).
    const idleMintOnB = async () => {
      await a.svc.db.kysely
        .updateTable("sessions")
        .set({ last_active_at: Date.now() - 120_000 })
        .where("id", "=", user.sessionId)
        .execute();
      return mintOnB();
    };
    expect((await idleMintOnB()).status).toBe(200); // B caches "no inactivity timeout"
    await patch({ session_inactivity_timeout_seconds: 60 });
    await withinASecond("inactivity timeout", async () => (await idleMintOnB()).status === 401);
    await patch({ session_inactivity_timeout_seconds: null });
  });

  it("a session revoked on A mints nothing on B", async () => {
    const user = await signInTestUser(a, t.instance);
    const mintOnB = () =>
      b.request(`${t.fapiPath}/v1/client/sessions/${user.sessionId}/tokens`, {
        method: "POST",
        headers: { cookie: user.cookie },
      });
    expect((await mintOnB()).status).toBe(200);
    const revoke = await a.request(`/v1/sessions/${user.sessionId}/revoke`, {
      method: "POST",
      headers: { authorization: `Bearer ${t.secretKey}` },
    });
    expect(revoke.status).toBe(200);
    const refused = await mintOnB();
    expect(refused.status).toBe(401);
    expect((await refused.json()).errors[0].code).toBe("session_inactive");
  });

  it("a signing-key rotation on A makes B sign with the new kid", async () => {
    const user = await signInTestUser(a, t.instance);
    const kidOnB = async () => {
      const res = await b.request(`${t.fapiPath}/v1/client/sessions/${user.sessionId}/tokens`, {
        method: "POST",
        headers: { cookie: user.cookie },
      });
      const { jwt } = (await res.json()) as { jwt: string };
      return JSON.parse(Buffer.from(jwt.split(".")[0]!, "base64url").toString()).kid as string;
    };
    const before = await kidOnB();
    const rotated = await a.platform(`/instances/${t.id}/signing_keys/rotate`, { method: "POST" });
    const { kid } = await rotated.json();
    expect(kid).not.toBe(before);
    expect(await kidOnB()).toBe(kid);
  });

  it("B's listener, its connection terminated, reconnects, forgets what it may have missed, and hears again", async () => {
    const pid = await listening(b);
    const missed = "https://missed.example.com";
    expect((await preflight(b, missed)).status).toBe(403); // cached on B
    await sql`select pg_terminate_backend(${pid})`.execute(a.svc.db.kysely);
    const lost = Date.now() + 5_000;
    while (b.svc.db.changes.status().backendPid === pid) {
      if (Date.now() > lost) throw new Error("B never noticed its listener's connection go");
      await new Promise((r) => setTimeout(r, 5));
    }
    // Changed while B listens to nothing: B's reconnect must drop what it cached.
    await patch({ allowed_origins: [missed] });
    await withinASecond(
      "a change made while the listener was down",
      async () => (await preflight(b, missed)).status === 204,
    );
    const again = await listening(b);
    expect(again).not.toBe(pid);
    const origin = "https://after-reconnect.example.com";
    expect((await preflight(b, origin)).status).toBe(403);
    await patch({ allowed_origins: [origin] });
    await withinASecond(
      "a change after the reconnect",
      async () => (await preflight(b, origin)).status === 204,
    );
  });

  it("an application deleted on A is gone on B within a second (no foreign-key 500s)", async () => {
    const doomed = await createTestInstance(a);
    const startOnB = () =>
      b.request(`${doomed.fapiPath}/v1/client/sign_ins`, {
        method: "POST",
        json: { strategy: "oauth_atlassian" },
      });
    expect((await startOnB()).status).toBe(200); // B caches the instance
    const applicationId = doomed.instance.application_id;
    expect((await a.platform(`/applications/${applicationId}`, { method: "DELETE" })).status).toBe(200);
    await withinASecond("the deletion", async () => (await startOnB()).status === 404);
  });

  it("a rolled-back change notifies nobody", async () => {
    const heard: unknown[] = [];
    const stop = b.svc.db.changes.subscribe((change) => heard.push(change));
    await expect(
      a.svc.db.kysely.transaction().execute(async (trx) => {
        await a.svc.db.changes.announceIn(trx, [{ kind: "instance", instanceId: t.id }]);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    // A committed one sent after it arrives; had the rolled-back one been sent, it would be first.
    await a.svc.db.kysely
      .transaction()
      .execute((trx) => a.svc.db.changes.announceIn(trx, [{ kind: "signing_keys", instanceId: t.id }]));
    await withinASecond("the committed notification", async () => heard.length > 0);
    stop();
    expect(heard).toEqual([{ kind: "signing_keys", instanceId: t.id }]);
  });
});
