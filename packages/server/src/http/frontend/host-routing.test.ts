import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe.each(DB_KINDS)("hosts Foyer serves (%s)", (kind) => {
  let foyer: TestFoyer;
  let https: TestFoyer;

  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
    https = await createTestFoyer(kind, { env: { FOYER_PUBLIC_URL: "https://auth.example.com" } });
    const app = await (
      await foyer.platform("/applications", { method: "POST", json: { name: "Hosts" } })
    ).json();
    const prod = await foyer.platform(`/applications/${app.id}/instances`, {
      method: "POST",
      json: { environment: "production", frontend_api_url: "https://clerk.hosts-example.com" },
    });
    expect(prod.status).toBe(201);
  });
  afterAll(async () => {
    await foyer.close();
    await https.close();
  });

  it("answers 421 host_not_served on a host it does not know, not the default routes", async () => {
    for (const path of [
      "/dashboard/sign-in",
      "/v1/users",
      "/platform/v1/applications",
      "/fapi/ins_x/v1/client",
    ]) {
      const res = await foyer.request(`http://rebound.evil.example${path}`);
      expect(res.status).toBe(421);
      expect((await res.json()).errors[0].code).toBe("host_not_served");
    }
    // A spoofed Host header on the public URL counts, not the URL the proxy rebuilt.
    const spoofed = await foyer.request("/dashboard/sign-in", { headers: { host: "rebound.evil.example" } });
    expect(spoofed.status).toBe(421);
  });

  it("serves the public host, production Frontend API hosts, and health checks on any host", async () => {
    expect((await foyer.request("/dashboard/sign-in")).status).toBe(200);
    const fapi = await foyer.request("https://clerk.hosts-example.com/v1/environment");
    expect(fapi.status).not.toBe(421);
    // Loopback names (a local proxy that drops Host, a process probed directly) count as the public host.
    expect((await foyer.request("http://127.0.0.1:4100/dashboard/sign-in")).status).toBe(200);
    for (const path of ["/healthz", "/readyz"]) {
      expect((await foyer.request(`http://10.0.0.5:8080${path}`)).status).toBe(200);
    }
  });

  it("sends Strict-Transport-Security on https deployments only", async () => {
    const secure = await https.request("https://auth.example.com/healthz");
    expect(secure.headers.get("strict-transport-security")).toMatch(/^max-age=\d{8,}/);
    const plain = await foyer.request("/healthz");
    expect(plain.headers.get("strict-transport-security")).toBeNull();
  });
});
