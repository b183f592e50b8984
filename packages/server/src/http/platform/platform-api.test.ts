import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe.each(DB_KINDS)("Platform API (%s)", (kind) => {
  let foyer: TestFoyer;
  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
  });
  afterAll(() => foyer.close());

  it("creates an application with its development instance and keys", async () => {
    const res = await foyer.platform("/applications", { method: "POST", json: { name: "Acme Portal" } });
    expect(res.status).toBe(201);
    const app = await res.json();
    expect(app.name).toBe("Acme Portal");
    expect(app.instances).toHaveLength(1);
    const dev = app.instances[0];
    expect(dev.environment).toBe("development");
    expect(dev.frontend_api_url).toBe(`http://foyer.test/fapi/${dev.id}`);
    expect(dev.publishable_key).toMatch(/^pk_test_[A-Za-z0-9+/]+$/);
    expect(Buffer.from(dev.publishable_key.slice(8), "base64").toString()).toBe(`${dev.frontend_api_url}$`);

    const keys = await (await foyer.platform(`/instances/${dev.id}/secret_keys`)).json();
    expect(keys.data).toHaveLength(1);
    expect(keys.data[0].key).toMatch(/^sk_test_[A-Za-z0-9_-]{43}$/);
  });

  it("lists, gets, renames and deletes applications", async () => {
    const created = await (
      await foyer.platform("/applications", { method: "POST", json: { name: "Temp" } })
    ).json();
    const list = await (await foyer.platform("/applications")).json();
    expect(list.data.map((a: { id: string }) => a.id)).toContain(created.id);
    const renamed = await foyer.platform(`/applications/${created.id}`, {
      method: "PATCH",
      json: { name: "Renamed" },
    });
    expect((await renamed.json()).name).toBe("Renamed");
    expect((await foyer.platform(`/applications/${created.id}`, { method: "DELETE" })).status).toBe(200);
    const gone = await foyer.platform(`/applications/${created.id}`);
    expect(gone.status).toBe(404);
    expect((await gone.json()).errors[0].code).toBe("resource_not_found");
    // The instance went with it.
    const instance = await foyer.platform(`/instances/${created.instances[0].id}`);
    expect(instance.status).toBe(404);
  });

  it("creates at most one production instance per application", async () => {
    const app = await (
      await foyer.platform("/applications", { method: "POST", json: { name: "Prod" } })
    ).json();
    const res = await foyer.platform(`/applications/${app.id}/instances`, {
      method: "POST",
      json: { environment: "production", frontend_api_url: "https://clerk.prod-example.com" },
    });
    expect(res.status).toBe(201);
    const prod = await res.json();
    expect(prod.environment).toBe("production");
    expect(prod.frontend_api_url).toBe("https://clerk.prod-example.com");
    expect(prod.publishable_key.startsWith("pk_live_")).toBe(true);
    // The creation answer is the one place the first production key is whole (secret-keys.test.ts).
    expect(prod.secret_key.key.startsWith("sk_live_")).toBe(true);
    const keys = await (await foyer.platform(`/instances/${prod.id}/secret_keys`)).json();
    expect(keys.data[0]).toMatchObject({ id: prod.secret_key.id, last4: prod.secret_key.key.slice(-4) });
    expect(keys.data[0].key).toBeUndefined();

    const again = await foyer.platform(`/applications/${app.id}/instances`, {
      method: "POST",
      json: { environment: "production" },
    });
    expect(again.status).toBe(409);
    expect((await again.json()).errors[0].code).toBe("instance_environment_exists");
  });

  it("refuses an insecure production Frontend API URL", async () => {
    const app = await (
      await foyer.platform("/applications", { method: "POST", json: { name: "Insecure" } })
    ).json();
    const res = await foyer.platform(`/applications/${app.id}/instances`, {
      method: "POST",
      json: { environment: "production", frontend_api_url: "http://clerk.example.com" },
    });
    expect(res.status).toBe(422);
    expect((await res.json()).errors[0].meta.param_name).toBe("frontend_api_url");
  });

  it("edits allowed origins and session settings, refusing anything but exact origins", async () => {
    const app = await (
      await foyer.platform("/applications", { method: "POST", json: { name: "Origins" } })
    ).json();
    const id = app.instances[0].id;
    const ok = await foyer.platform(`/instances/${id}`, {
      method: "PATCH",
      json: {
        allowed_origins: ["https://App.Example.com", "http://localhost:5173"],
        session_max_lifetime_seconds: 3600,
      },
    });
    expect(ok.status).toBe(200);
    const body = await ok.json();
    expect(body.allowed_origins).toEqual(["https://app.example.com", "http://localhost:5173"]);
    expect(body.session_max_lifetime_seconds).toBe(3600);

    for (const bad of [
      "https://app.example.com/path",
      "*.example.com",
      "javascript:alert(1)",
      "https://u:p@x.com",
    ]) {
      const res = await foyer.platform(`/instances/${id}`, {
        method: "PATCH",
        json: { allowed_origins: [bad] },
      });
      expect(res.status, bad).toBe(422);
      expect((await res.json()).errors[0].code).toBe("form_param_invalid");
    }
  });

  it("answers bad input with a 4xx and a code, never a 500", async () => {
    const cases: Array<[RequestInit & { json?: unknown }, number, string]> = [
      [
        { method: "POST", body: "{not json", headers: { "content-type": "application/json" } },
        400,
        "invalid_json",
      ],
      [{ method: "POST", json: { name: "x", owner: "me" } }, 422, "form_param_unknown"],
      [{ method: "POST", json: {} }, 422, "form_param_missing"],
      [{ method: "POST", json: { name: 42 } }, 422, "form_param_invalid"],
      [
        { method: "POST", body: "name=x", headers: { "content-type": "text/plain" } },
        415,
        "unsupported_media_type",
      ],
      [{ method: "POST", json: { name: "x".repeat(200 * 1024) } }, 413, "request_body_too_large"],
      [
        {
          method: "POST",
          body: `${"[".repeat(5000)}${"]".repeat(5000)}`,
          headers: { "content-type": "application/json" },
        },
        400,
        "json_too_deep",
      ],
    ];
    for (const [init, status, code] of cases) {
      const res = await foyer.platform("/applications", init);
      expect(res.status, code).toBe(status);
      expect((await res.json()).errors[0].code).toBe(code);
    }
    const unknownRoute = await foyer.platform("/nope");
    expect(unknownRoute.status).toBe(404);
    expect((await unknownRoute.json()).errors[0].code).toBe("route_not_found");
  });

  it("refuses a missing or wrong platform token", async () => {
    for (const auth of [undefined, "Bearer wrong", `Bearer ${foyer.platformToken}x`, foyer.platformToken]) {
      const res = await foyer.request("/platform/v1/applications", {
        headers: auth ? { authorization: auth } : {},
      });
      expect(res.status).toBe(401);
      expect((await res.json()).errors[0].code).toBe("platform_token_invalid");
    }
  });
});
