/**
 * Secrets handled like secrets: a production secret key is whole in the one answer that creates
 * it, and afterwards only `key_prefix` and `last4` appear anywhere (Platform API, dashboard,
 * `foyer keys`), because Foyer keeps no decryptable copy. Development keys stay revealable.
 */
import { type DashboardClient, signInToDashboard } from "@foyer/testkit/dashboard-client";
import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { printKeys } from "../../cli/keys.js";
import { newId, randomToken, sha256Hex } from "../../crypto/random.js";

describe.each(DB_KINDS)("secret keys (%s)", (kind) => {
  let foyer: TestFoyer;
  let dash: DashboardClient;
  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
    dash = await signInToDashboard(foyer);
  });
  afterAll(() => foyer.close());

  async function keysOutput(): Promise<string> {
    const lines: string[] = [];
    await printKeys(foyer.svc, (line) => lines.push(line));
    return lines.join("\n");
  }

  /** Every later way to read an instance's keys, as one text to search. */
  async function everyLaterAnswer(appId: string, instanceId: string): Promise<string> {
    const texts = await Promise.all(
      [
        `/instances/${instanceId}/secret_keys`,
        `/instances/${instanceId}`,
        `/applications/${appId}`,
        "/applications",
      ].map(async (path) => (await foyer.platform(path)).text()),
    );
    texts.push(await dash.html(`/dashboard/instances/${instanceId}/api-keys`));
    texts.push(await keysOutput());
    return texts.join("\n");
  }

  async function backendStatus(key: string): Promise<number> {
    return (await foyer.request("/v1/users", { headers: { authorization: `Bearer ${key}` } })).status;
  }

  async function createProduction(name: string) {
    const app = await (await foyer.platform("/applications", { method: "POST", json: { name } })).json();
    const res = await foyer.platform(`/applications/${app.id}/instances`, {
      method: "POST",
      json: {
        environment: "production",
        frontend_api_url: `https://clerk.${randomToken(4).toLowerCase()}.example`,
      },
    });
    expect(res.status).toBe(201);
    return { app, prod: await res.json() };
  }

  it("shows a production key whole only in the answer that creates it", async () => {
    const { app, prod } = await createProduction("Live keys");
    const first = prod.secret_key;
    expect(first.key).toMatch(/^sk_live_[A-Za-z0-9_-]{43}$/);
    expect(first).toMatchObject({
      object: "secret_key",
      key_prefix: first.key.slice(0, 12),
      last4: first.key.slice(-4),
    });

    const created = await foyer.platform(`/instances/${prod.id}/secret_keys`, { method: "POST", json: {} });
    expect(created.status).toBe(201);
    const second = await created.json();
    expect(second.key).toMatch(/^sk_live_/);

    const later = await everyLaterAnswer(app.id, prod.id);
    for (const key of [first.key, second.key]) {
      expect(later).not.toContain(key);
      // Not even the random part without its prefix.
      expect(later).not.toContain(key.slice(8));
      expect(await backendStatus(key)).toBe(200);
    }
    const list = (await (await foyer.platform(`/instances/${prod.id}/secret_keys`)).json()).data;
    expect(list).toEqual([
      {
        object: "secret_key",
        id: first.id,
        key_prefix: first.key_prefix,
        last4: first.last4,
        created_at: first.created_at,
      },
      {
        object: "secret_key",
        id: second.id,
        key_prefix: second.key_prefix,
        last4: second.last4,
        created_at: second.created_at,
      },
    ]);
    expect(later).toContain(`${first.key_prefix}…${first.last4}`);
    expect(later).toContain(`${first.key_prefix}${"•".repeat(12)}${first.last4}`);

    // Nothing left to reveal: no stored copy, and the dashboard says so in words.
    const rows = await foyer.svc.db.kysely
      .selectFrom("secret_keys")
      .selectAll()
      .where("instance_id", "=", prod.id)
      .execute();
    expect(rows.map((r) => r.key_enc)).toEqual([null, null]);
    const reveal = await dash.post(`/dashboard/instances/${prod.id}/secret-keys/${first.id}/reveal`);
    expect(reveal.status).toBe(409);
    expect(await reveal.text()).toContain("shown only once");
  });

  it("shows a new production key once on the dashboard page that created it", async () => {
    const { prod } = await createProduction("Live keys in the dashboard");
    const page = await dash.post(`/dashboard/instances/${prod.id}/secret-keys`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const shown = /id="new-secret-key" value="(sk_live_[A-Za-z0-9_-]{43})"/.exec(html)?.[1];
    expect(shown).toBeDefined();
    expect(await backendStatus(shown!)).toBe(200);
    expect(await dash.html(`/dashboard/instances/${prod.id}/api-keys`)).not.toContain(shown!);
  });

  it("keeps development keys revealable everywhere", async () => {
    const app = await (
      await foyer.platform("/applications", { method: "POST", json: { name: "Test keys" } })
    ).json();
    const dev = app.instances[0];
    const [key] = (await (await foyer.platform(`/instances/${dev.id}/secret_keys`)).json()).data;
    expect(key.key).toMatch(/^sk_test_[A-Za-z0-9_-]{43}$/);
    expect(key).toMatchObject({ key_prefix: key.key.slice(0, 12), last4: key.key.slice(-4) });
    expect(await keysOutput()).toContain(`Secret key:       ${key.key}  (${key.id})`);
    const reveal = await dash.post(`/dashboard/instances/${dev.id}/secret-keys/${key.id}/reveal`);
    expect((await reveal.json()).key).toBe(key.key);
  });

  it("drops the stored copy of a production key written before migration 013 at its first read", async () => {
    const { app, prod } = await createProduction("Old live key");
    const id = newId("sk");
    const key = `sk_live_${randomToken(32)}`;
    await foyer.svc.db.kysely
      .insertInto("secret_keys")
      .values({
        id,
        instance_id: prod.id,
        key_hash: sha256Hex(key),
        // As the code before 013 stored every key: encrypted, no prefix, no last four.
        key_enc: foyer.svc.keyring.encrypt(key, `secret_keys:${prod.id}:${id}:key`),
        key_prefix: null,
        last4: null,
        created_at: foyer.svc.now() + 1,
      })
      .execute();
    const later = await everyLaterAnswer(app.id, prod.id);
    expect(later).not.toContain(key);
    const row = await foyer.svc.db.kysely
      .selectFrom("secret_keys")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ key_enc: null, key_prefix: key.slice(0, 12), last4: key.slice(-4) });
    expect(await backendStatus(key)).toBe(200);
  });
});
