import { DB_KINDS } from "@foyer/testkit/databases";
import { createEmulatedFoyer, type EmulatedFoyer } from "@foyer/testkit/emulated-foyer";
import { createTestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe.each(DB_KINDS)("Atlassian connection settings (%s)", (kind) => {
  let foyer: EmulatedFoyer;
  let dev: string;
  let prod: string;

  beforeAll(async () => {
    foyer = await createEmulatedFoyer(kind);
    dev = (await createTestInstance(foyer)).id;
    const app = (await (await foyer.platform(`/instances/${dev}`)).json()).application_id;
    const res = await foyer.platform(`/applications/${app}/instances`, {
      method: "POST",
      json: { environment: "production", frontend_api_url: "https://clerk.example.com" },
    });
    prod = (await res.json()).id;
  });
  afterAll(() => foyer.close());

  const path = (id: string) => `/instances/${id}/social_connections/atlassian`;
  const patch = (id: string, json: unknown) => foyer.platform(path(id), { method: "PATCH", json });

  it("works on shared credentials with zero configuration in development", async () => {
    const body = await (await foyer.platform(path(dev))).json();
    expect(body).toMatchObject({
      enabled: true,
      authenticatable: true,
      use_custom_credentials: false,
      client_secret_set: false,
      scopes: ["read:me", "read:jira-user", "offline_access"],
      redirect_uri: `${foyer.svc.config.publicUrl}/v1/oauth_callback`,
      shared_credentials: { available: true, emulated: true },
      warnings: [],
    });
  });

  it("needs custom credentials for custom scopes", async () => {
    const res = await patch(dev, { scopes: ["read:me", "read:jira-work", "offline_access"] });
    expect(res.status).toBe(422);
    expect((await res.json()).errors[0]).toMatchObject({
      code: "atlassian_custom_credentials_required",
      meta: { param_name: "scopes" },
    });
  });

  it("requires production's own Client ID and Secret, saying which is missing", async () => {
    const initial = await (await foyer.platform(path(prod))).json();
    expect(initial).toMatchObject({ enabled: false, use_custom_credentials: true });
    expect(initial.redirect_uri).toBe("https://clerk.example.com/v1/oauth_callback");

    let res = await patch(prod, { enabled: true });
    expect(res.status).toBe(422);
    expect((await res.json()).errors[0].code).toBe("atlassian_client_id_missing");
    res = await patch(prod, { enabled: true, client_id: "prod-client" });
    expect((await res.json()).errors[0]).toMatchObject({
      code: "atlassian_client_secret_missing",
      meta: { param_name: "client_secret" },
    });
    // A refused change stores nothing.
    expect((await (await foyer.platform(path(prod))).json()).client_id).toBeNull();

    res = await patch(prod, { use_custom_credentials: false });
    expect((await res.json()).errors[0].code).toBe("atlassian_custom_credentials_required");

    res = await patch(prod, {
      enabled: true,
      client_id: "prod-client",
      client_secret: "prod-secret-value",
      scopes: ["read:jira-work", "read:me"],
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ enabled: true, client_id: "prod-client", client_secret_set: true });
    expect(body.scopes).toEqual(["read:me", "read:jira-work"]);
    expect(body.warnings.map((w: { code: string }) => w.code)).toEqual(["offline_access_missing"]);
    expect(JSON.stringify(body)).not.toContain("prod-secret-value");
  });

  it("keeps read:me and validates scope syntax", async () => {
    await patch(dev, { use_custom_credentials: true, client_id: "c", client_secret: "s" });
    const res = await patch(dev, { scopes: ["offline_access"] });
    expect((await res.json()).scopes).toEqual(["read:me", "offline_access"]);
    for (const bad of ["read:jira-work read:me", "read:jira-work,read:me", "READ:ME", "", "x".repeat(101)]) {
      const r = await patch(dev, { scopes: [bad] });
      expect(r.status, bad).toBe(422);
      expect((await r.json()).errors[0].code).toBe("atlassian_scope_invalid");
    }
    expect(
      (await patch(dev, { scopes: ["read:board-scope:jira-software", "read:confluence-content.all"] }))
        .status,
    ).toBe(200);
  });

  it("refuses an http production redirect URI off loopback", async () => {
    const appId = (
      await (await foyer.platform("/applications", { method: "POST", json: { name: "Plain" } })).json()
    ).id;
    const local = await foyer.platform(`/applications/${appId}/instances`, {
      method: "POST",
      json: { environment: "production", frontend_api_url: "http://127.0.0.1:4999" },
    });
    const id = (await local.json()).id;
    const res = await patch(id, { enabled: true, client_id: "c", client_secret: "s" });
    expect(res.status).toBe(200);
    expect((await res.json()).redirect_uri).toBe("http://127.0.0.1:4999/v1/oauth_callback");
  });

  it("stores the client secret encrypted, bound to its instance", async () => {
    const row = await foyer.svc.db.kysely
      .selectFrom("social_connections")
      .selectAll()
      .where("instance_id", "=", prod)
      .executeTakeFirstOrThrow();
    expect(row.client_secret_enc).toMatch(/^v1\./);
    expect(row.client_secret_enc).not.toContain("prod-secret-value");
    expect(() =>
      foyer.svc.keyring.decrypt(
        row.client_secret_enc!,
        `social_connections:${dev}:oauth_atlassian:client_secret`,
      ),
    ).toThrow();
    expect(foyer.logs()).not.toContain("prod-secret-value");
  });

  it("refuses unknown fields and other instances' ids", async () => {
    const res = await patch(dev, { enabled: true, client_secret_plain: "x" });
    expect(res.status).toBe(422);
    expect((await res.json()).errors[0].code).toBe("form_param_unknown");
    expect((await foyer.platform(path("ins_missing"))).status).toBe(404);
  });
});
