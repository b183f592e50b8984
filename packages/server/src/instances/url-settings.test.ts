import { signInToDashboard } from "@foyer/testkit/dashboard-client";
import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe.each(DB_KINDS)("URL settings of instances (%s)", (kind) => {
  let foyer: TestFoyer;
  let prodId: string;
  let devId: string;

  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
    const app = await (
      await foyer.platform("/applications", { method: "POST", json: { name: "URLs" } })
    ).json();
    devId = app.instances[0].id;
    const prod = await foyer.platform(`/applications/${app.id}/instances`, {
      method: "POST",
      json: { environment: "production", frontend_api_url: "https://clerk.prod-example.com" },
    });
    prodId = (await prod.json()).id;
  });
  afterAll(() => foyer.close());

  const patch = (id: string, json: Record<string, unknown>) =>
    foyer.platform(`/instances/${id}`, { method: "PATCH", json });
  async function refused(res: Response, param: string) {
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.errors[0].code).toBe("form_param_invalid");
    expect(body.errors[0].meta.param_name).toBe(param);
  }

  it("takes only exact https origins in production (http on loopback), never a wildcard or a path", async () => {
    for (const [origins, param] of [
      [["http://app.example.com"], "allowed_origins.0"],
      [["https://app.example.com", "https://*.example.com"], "allowed_origins.1"],
      [["*"], "allowed_origins.0"],
      [["https://app.example.com/path"], "allowed_origins.0"],
      [["https://user@app.example.com"], "allowed_origins.0"],
    ] as const) {
      await refused(await patch(prodId, { allowed_origins: origins }), param);
    }
    const ok = await patch(prodId, {
      allowed_origins: ["https://app.example.com:8443", "http://localhost:3000", "http://127.0.0.1:5173"],
    });
    expect(ok.status).toBe(200);
    // Development instances keep plain http for local apps, but never a wildcard.
    expect((await patch(devId, { allowed_origins: ["http://dev.example.test"] })).status).toBe(200);
    await refused(await patch(devId, { allowed_origins: ["https://*.example.com"] }), "allowed_origins.0");
  });

  it("puts the production after-sign-in URL on an allowed origin, without userinfo", async () => {
    await patch(prodId, { allowed_origins: ["https://app.example.com"] });
    for (const url of [
      "https://elsewhere.example.com/home",
      "https://app.example.com@evil.test/",
      "https://user:pw@app.example.com/home",
    ]) {
      await refused(await patch(prodId, { after_sign_in_url: url }), "after_sign_in_url");
    }
    const ok = await patch(prodId, { after_sign_in_url: "https://app.example.com/home" });
    expect((await ok.json()).after_sign_in_url).toBe("https://app.example.com/home");
    // The instance's own Frontend API origin (the hosted signed-in page) is allowed too.
    expect(
      (await patch(prodId, { after_sign_in_url: "https://clerk.prod-example.com/signed-in" })).status,
    ).toBe(200);
    await refused(
      await patch(devId, { after_sign_in_url: "https://u:p@app.example.com/" }),
      "after_sign_in_url",
    );
    expect((await patch(prodId, { after_sign_in_url: null })).status).toBe(200);
  });

  it("refuses the same origins in the dashboard form", async () => {
    const dash = await signInToDashboard(foyer);
    const res = await dash.post(`/dashboard/instances/${prodId}/origins`, {
      origin: "http://shop.example.com",
    });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("production origins must be https");
  });
});
