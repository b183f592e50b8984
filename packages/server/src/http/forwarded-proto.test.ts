import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("https behind a trusted proxy (X-Forwarded-Proto)", () => {
  let proxied: TestFoyer;
  let direct: TestFoyer;
  const env = { FOYER_PUBLIC_URL: "https://auth.example.com" };

  beforeAll(async () => {
    proxied = await createTestFoyer("sqlite", { env: { ...env, FOYER_TRUST_PROXY: "1" } });
    direct = await createTestFoyer("sqlite", { env });
  });
  afterAll(async () => {
    await proxied.close();
    await direct.close();
  });

  const dashboard = "https://auth.example.com/dashboard/sign-in";

  it("serves what the proxy marks https", async () => {
    const res = await proxied.request(dashboard, { headers: { "x-forwarded-proto": "https" } });
    expect(res.status).toBe(200);
  });

  it("redirects a browser's plain-http GET to https and refuses anything else with https_required", async () => {
    const get = await proxied.request(`${dashboard}?next=1`, { headers: { "x-forwarded-proto": "http" } });
    expect(get.status).toBe(308);
    expect(get.headers.get("location")).toBe(`${dashboard}?next=1`);
    const post = await proxied.request("https://auth.example.com/platform/v1/applications", {
      method: "POST",
      json: { name: "Plain" },
      headers: { "x-forwarded-proto": "http", authorization: `Bearer ${proxied.platformToken}` },
    });
    expect(post.status).toBe(400);
    expect((await post.json()).errors[0].code).toBe("https_required");
    // A proxy that does not send the header at all is found on the first request.
    const missing = await proxied.request(dashboard);
    expect(missing.status).toBe(400);
    expect((await missing.json()).errors[0].long_message).toContain("X-Forwarded-Proto");
  });

  it("answers health checks straight at the process, and does nothing without FOYER_TRUST_PROXY", async () => {
    expect((await proxied.request("https://auth.example.com/readyz")).status).toBe(200);
    expect((await proxied.request("https://auth.example.com/healthz")).status).toBe(200);
    expect((await direct.request(dashboard)).status).toBe(200);
  });
});
