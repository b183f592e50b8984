import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe.each(DB_KINDS)("Backend API authentication (%s)", (kind) => {
  let foyer: TestFoyer;
  const a = { id: "", key: "" };
  const b = { id: "", key: "" };

  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
    for (const target of [a, b]) {
      const app = await (
        await foyer.platform("/applications", { method: "POST", json: { name: "App" } })
      ).json();
      target.id = app.instances[0].id;
      target.key = (await (await foyer.platform(`/instances/${target.id}/secret_keys`)).json()).data[0].key;
    }
  });
  afterAll(() => foyer.close());

  const jwks = (key: string) => foyer.request("/v1/jwks", { headers: { authorization: `Bearer ${key}` } });
  const kidsOf = async (instanceId: string) =>
    (await (await foyer.request(`/fapi/${instanceId}/.well-known/jwks.json`)).json()).keys.map(
      (k: { kid: string }) => k.kid,
    );

  it("serves each instance its own keys only", async () => {
    const aKeys = (await (await jwks(a.key)).json()).keys.map((k: { kid: string }) => k.kid);
    const bKeys = (await (await jwks(b.key)).json()).keys.map((k: { kid: string }) => k.kid);
    expect(aKeys).toEqual(await kidsOf(a.id));
    expect(bKeys).toEqual(await kidsOf(b.id));
    expect(aKeys.some((k: string) => bKeys.includes(k))).toBe(false);
  });

  it("refuses a wrong, missing or malformed secret key", async () => {
    for (const header of [undefined, "Bearer sk_test_nope", `Bearer ${a.key}x`, a.key, `Basic ${a.key}`]) {
      const res = await foyer.request("/v1/jwks", { headers: header ? { authorization: header } : {} });
      expect(res.status).toBe(401);
      expect((await res.json()).errors[0].code).toBe("secret_key_invalid");
    }
    // Keys are taken from the Authorization header only.
    const res = await foyer.request(`/v1/jwks?secret_key=${a.key}`);
    expect(res.status).toBe(401);
  });

  it("stops accepting a rotated-out key at once, and keeps the last one", async () => {
    const created = await (
      await foyer.platform(`/instances/${a.id}/secret_keys`, { method: "POST", json: {} })
    ).json();
    expect((await jwks(created.key)).status).toBe(200);
    const list = (await (await foyer.platform(`/instances/${a.id}/secret_keys`)).json()).data;
    const old = list.find((k: { key: string }) => k.key === a.key);
    const del = await foyer.platform(`/instances/${a.id}/secret_keys/${old.id}`, { method: "DELETE" });
    expect(del.status).toBe(200);
    expect((await jwks(a.key)).status).toBe(401);
    expect((await jwks(created.key)).status).toBe(200);

    const last = await foyer.platform(`/instances/${a.id}/secret_keys/${created.id}`, { method: "DELETE" });
    expect(last.status).toBe(409);
    expect((await last.json()).errors[0].code).toBe("secret_key_last");
    // Another instance's key id cannot be deleted through this instance.
    const bKeyId = (await (await foyer.platform(`/instances/${b.id}/secret_keys`)).json()).data[0].id;
    expect(
      (await foyer.platform(`/instances/${a.id}/secret_keys/${bKeyId}`, { method: "DELETE" })).status,
    ).toBe(404);
  });

  it("keeps a rotated signing key published so recent tokens still verify", async () => {
    const before = await kidsOf(b.id);
    const rotated = await (
      await foyer.platform(`/instances/${b.id}/signing_keys/rotate`, { method: "POST" })
    ).json();
    const after = await kidsOf(b.id);
    expect(after).toContain(rotated.kid);
    expect(after).toEqual(expect.arrayContaining(before));
  });

  it("routes a production instance's own host to its Frontend API", async () => {
    const app = await (
      await foyer.platform("/applications", { method: "POST", json: { name: "Hosted" } })
    ).json();
    const prod = await (
      await foyer.platform(`/applications/${app.id}/instances`, {
        method: "POST",
        json: { environment: "production", frontend_api_url: "https://clerk.hosted-example.com" },
      })
    ).json();
    const res = await foyer.request("https://clerk.hosted-example.com/.well-known/jwks.json", {
      headers: { host: "clerk.hosted-example.com" },
    });
    expect(res.status).toBe(200);
    expect((await res.json()).keys.map((k: { kid: string }) => k.kid)).toEqual(await kidsOf(prod.id));
  });
});
