import { beforeEach, describe, expect, it } from "vitest";
import { createAtlassianEmulator } from "../app.js";
import { DEMO_IDS, demoSeed } from "../demo-seed.js";
import type { EmulatorApp } from "../types.js";

const APP: EmulatorApp = {
  clientId: "ctl-client",
  clientSecret: "super-secret-do-not-show",
  name: "Control <Test>",
  callbackUrl: "http://localhost:4000/cb",
  scopes: ["read:me"],
  shared: true,
};

const { app, control } = createAtlassianEmulator({ seed: { ...demoSeed(), apps: [APP] } });
beforeEach(() => control.reset());

function send(method: string, path: string, body?: unknown) {
  return app.request(`/__emulator${path}`, {
    method,
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe("control API validation", () => {
  it("refuses bodies that do not fit, with a message", async () => {
    const cases: [string, string, unknown][] = [
      ["POST", "/apps", { clientId: "x" }],
      ["POST", "/apps", { ...APP, extra: true }],
      ["POST", "/accounts", { accountId: "a", name: "A", siteIds: "nope" }],
      ["POST", "/sites", { cloudId: "c", name: "C", url: "https://c", products: ["bitbucket"] }],
      ["POST", "/faults", { name: "meltdown", on: true }],
      ["POST", "/faults", { name: "token_5xx", on: { count: -1 } }],
      ["POST", "/clock/advance", { ms: -5 }],
      ["PATCH", "/settings", { pkce: "sometimes" }],
      ["POST", "/consent", { cloudId: "x" }],
      ["POST", "/seed", { apps: [{}] }],
    ];
    for (const [method, path, body] of cases) {
      const res = await send(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(((await res.json()) as { message: string }).message).toBeTruthy();
    }
    const notJson = await app.request("/__emulator/apps", { method: "POST", body: "{" });
    expect(notJson.status).toBe(400);
  });

  it("answers 404 for an unknown account patch and an unknown endpoint", async () => {
    expect((await send("PATCH", "/accounts/nobody", { name: "X" })).status).toBe(404);
    expect((await send("GET", "/nothing-here")).status).toBe(404);
  });
});

describe("control API mirrors the control object", () => {
  it("seeds, updates and lists through HTTP", async () => {
    expect(
      (
        await send("POST", "/sites", {
          cloudId: "c-3",
          name: "Initech",
          url: "https://initech.atlassian.net",
          products: ["jira"],
        })
      ).status,
    ).toBe(200);
    expect(
      (await send("POST", "/accounts", { accountId: "acc-9", name: "Peter", siteIds: ["c-3"] })).status,
    ).toBe(200);
    expect((await send("PATCH", "/accounts/acc-9", { accountStatus: "closed" })).status).toBe(200);
    expect((await send("POST", "/seed", { apps: [{ ...APP, clientId: "second" }] })).status).toBe(200);
    const html = await (await app.request("/__emulator")).text();
    expect(html).toContain("Initech");
    expect(html).toContain("Peter");
    expect(html).toContain("second");
    expect(html).toContain("Control &lt;Test&gt;");
    expect(html).not.toContain(APP.clientSecret);
  });

  it("settings, clock, counters, consent queue, auto consent, faults, revoke, password change, reset", async () => {
    expect(await (await send("PATCH", "/settings", { codeTtlSeconds: 5 })).json()).toMatchObject({
      codeTtlSeconds: 5,
    });
    expect(control.settings().codeTtlSeconds).toBe(5);

    const before = control.now();
    const advanced = (await (await send("POST", "/clock/advance", { ms: 86_400_000 })).json()) as {
      now: number;
    };
    expect(advanced.now - before).toBeGreaterThanOrEqual(86_400_000);

    expect((await send("POST", "/consent", { accountId: DEMO_IDS.ada })).status).toBe(200);
    const query = new URLSearchParams({
      client_id: APP.clientId,
      scope: "read:me",
      redirect_uri: APP.callbackUrl,
      response_type: "code",
    });
    expect((await app.request(`/authorize?${query}`)).status).toBe(302);
    expect(await (await send("GET", "/counters")).json()).toMatchObject({ authorizations: 1 });
    expect(await (await send("GET", "/grants")).json()).toEqual([
      { clientId: APP.clientId, accountId: DEMO_IDS.ada, scopes: ["read:me"], cloudIds: [], revoked: false },
    ]);
    expect(await (await send("GET", "/last-authorize")).json()).toMatchObject({ client_id: APP.clientId });

    expect((await send("PUT", "/auto-consent", { accountId: DEMO_IDS.grace })).status).toBe(200);
    expect((await app.request(`/authorize?${query}`)).status).toBe(302);
    expect((await send("DELETE", "/auto-consent")).status).toBe(200);
    expect((await app.request(`/authorize?${query}`)).status).toBe(200);

    expect((await send("POST", "/revoke", { clientId: APP.clientId, accountId: DEMO_IDS.ada })).status).toBe(
      200,
    );
    expect(control.grants().find((g) => g.accountId === DEMO_IDS.ada)?.revoked).toBe(true);
    expect((await send("POST", "/password-change", { accountId: DEMO_IDS.ada })).status).toBe(200);

    expect((await send("POST", "/faults", { name: "me_503", on: { count: 1 } })).status).toBe(200);
    expect((await app.request("/me")).status).toBe(503);
    expect((await send("POST", "/faults", { name: "me_503", on: true })).status).toBe(200);
    expect((await send("DELETE", "/faults")).status).toBe(200);
    expect((await app.request("/me")).status).toBe(401);

    expect((await send("DELETE", "/counters")).status).toBe(200);
    expect(control.counters().authorizations).toBe(0);

    expect((await send("POST", "/reset")).status).toBe(200);
    expect(control.grants()).toEqual([]);
    expect(control.settings().codeTtlSeconds).toBe(600);
    expect(Math.abs(control.now() - Date.now())).toBeLessThan(1000);
  });
});
