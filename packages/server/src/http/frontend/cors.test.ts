import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { createTestInstance, signInTestUser, type TestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe.each(DB_KINDS)("Frontend API CORS and cross-site refusal (%s)", (kind) => {
  let foyer: TestFoyer;
  let t: TestInstance;
  const app = "https://app.example.com";
  const evil = "https://app.example.com.evil.test";

  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
    t = await createTestInstance(foyer, { allowedOrigins: [app] });
  });
  afterAll(() => foyer.close());

  const sessionStatus = async (id: string) =>
    (
      await foyer.svc.db.kysely
        .selectFrom("sessions")
        .select("status")
        .where("id", "=", id)
        .executeTakeFirstOrThrow()
    ).status;

  it("answers preflights for allowed origins only", async () => {
    const ok = await foyer.request(`${t.fapiPath}/v1/client`, {
      method: "OPTIONS",
      headers: { origin: app, "access-control-request-method": "DELETE" },
    });
    expect(ok.status).toBe(204);
    expect(ok.headers.get("access-control-allow-origin")).toBe(app);
    expect(ok.headers.get("access-control-allow-credentials")).toBe("true");
    expect(ok.headers.get("access-control-allow-methods")).toContain("DELETE");
    expect(ok.headers.get("vary")).toContain("Origin");

    const refused = await foyer.request(`${t.fapiPath}/v1/client`, {
      method: "OPTIONS",
      headers: { origin: evil, "access-control-request-method": "DELETE" },
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("reflects the exact allowed origin with credentials, never a wildcard", async () => {
    const res = await foyer.request(`${t.fapiPath}/v1/client`, { headers: { origin: app } });
    expect(res.headers.get("access-control-allow-origin")).toBe(app);
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(res.headers.get("vary")).toContain("Origin");
    const other = await foyer.request(`${t.fapiPath}/v1/client`, { headers: { origin: evil } });
    expect(other.status).toBe(200);
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    // Error answers carry CORS headers too, so the app can read the error code.
    const err = await foyer.request(`${t.fapiPath}/v1/client/sessions/sess_x/tokens`, {
      method: "POST",
      headers: { origin: app },
    });
    expect(err.status).toBe(401);
    expect(err.headers.get("access-control-allow-origin")).toBe(app);
  });

  it("refuses state-changing requests from other origins, and changes nothing", async () => {
    const s = await signInTestUser(foyer, t.instance);
    for (const origin of [evil, "null", "https://other.example.org"]) {
      const res = await foyer.request(`${t.fapiPath}/v1/client`, {
        method: "DELETE",
        headers: { origin, cookie: s.cookie },
      });
      expect(res.status).toBe(403);
      expect((await res.json()).errors[0].code).toBe("cross_site_request_refused");
    }
    const end = await foyer.request(`${t.fapiPath}/v1/client/sessions/${s.sessionId}/end`, {
      method: "POST",
      headers: { origin: evil, cookie: s.cookie },
    });
    expect(end.status).toBe(403);
    const mint = await foyer.request(`${t.fapiPath}/v1/client/sessions/${s.sessionId}/tokens`, {
      method: "POST",
      headers: { origin: evil, cookie: s.cookie },
    });
    expect(mint.status).toBe(403);
    expect(await sessionStatus(s.sessionId)).toBe("active");
  });

  it("refuses Sec-Fetch-Site: cross-site without an allowed Origin", async () => {
    const s = await signInTestUser(foyer, t.instance);
    const res = await foyer.request(`${t.fapiPath}/v1/client`, {
      method: "DELETE",
      headers: { "sec-fetch-site": "cross-site", cookie: s.cookie },
    });
    expect(res.status).toBe(403);
    expect(await sessionStatus(s.sessionId)).toBe("active");
  });

  it("accepts the Frontend API's own origin and allowed origins", async () => {
    const own = new URL(t.instance.frontend_api_url).origin;
    const a = await signInTestUser(foyer, t.instance);
    const res = await foyer.request(`${t.fapiPath}/v1/client/sessions/${a.sessionId}/end`, {
      method: "POST",
      headers: { origin: own, cookie: a.cookie, "sec-fetch-site": "same-origin" },
    });
    expect(res.status).toBe(200);
    const b = await signInTestUser(foyer, t.instance);
    const fromApp = await foyer.request(`${t.fapiPath}/v1/client`, {
      method: "DELETE",
      headers: { origin: app, cookie: b.cookie, "sec-fetch-site": "cross-site" },
    });
    expect(fromApp.status).toBe(200);
    expect(await sessionStatus(b.sessionId)).toBe("ended");
  });
});
