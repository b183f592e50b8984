import { DEMO_IDS } from "@foyer/atlassian-emulator";
import { dashboardCookieName, openSignInForm } from "@foyer/testkit/dashboard-client";
import { DB_KINDS } from "@foyer/testkit/databases";
import {
  browserRequest,
  CookieJar,
  consentAt,
  createEmulatedFoyer,
  type EmulatedFoyer,
  startSignIn,
} from "@foyer/testkit/emulated-foyer";
import { createTestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const PLANTED = "planted-by-a-sibling-subdomain-000000000000";

/** The binding cookies a browser holds (whatever their per-transaction names). */
function bindings(jar: CookieJar): [string, string][] {
  return [...jar.all()].filter(([name]) => name.includes("foyer_oauth"));
}

describe.each(DB_KINDS)("browser binding (%s)", (kind) => {
  let foyer: EmulatedFoyer;
  let instanceId: string;
  const exchanges = () => foyer.emulator.control.counters().codeExchanges;

  beforeAll(async () => {
    foyer = await createEmulatedFoyer(kind);
    instanceId = (await createTestInstance(foyer)).id;
  });
  afterAll(() => foyer.close());

  it("never adopts a binding the browser already had: a planted value is replaced and refused", async () => {
    const jar = new CookieJar();
    // What a sibling subdomain could plant: today's name, and the name of any transaction.
    jar.set("__foyer_oauth", PLANTED);
    jar.set("foyer_oauth", PLANTED);
    const authorizeUrl = await startSignIn(foyer, jar, instanceId);
    const own = bindings(jar).filter(([, value]) => value !== PLANTED);
    expect(own).toHaveLength(1);
    expect(own[0]![1]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const callbackUrl = await consentAt(foyer, authorizeUrl, {
      accountId: DEMO_IDS.ada,
      cloudId: DEMO_IDS.acme,
    });

    // The browser returns with only the planted value (under every binding name): refused,
    // before any call to Atlassian.
    const before = exchanges();
    const planted = new CookieJar();
    for (const [name] of bindings(jar)) planted.set(name, PLANTED);
    const refused = await browserRequest(foyer, planted, callbackUrl);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('data-error-code="oauth_state_invalid"');
    expect(exchanges()).toBe(before);

    // The value Foyer set completes, and the spent binding cookie is cleared.
    const ok = await browserRequest(foyer, jar, callbackUrl);
    expect(ok.status).toBe(303);
    expect(ok.headers.get("location")).not.toContain("error=");
    expect(jar.get(own[0]![0])).toBeUndefined();
  });

  it("gives each transaction a value of its own, and two tabs both complete", async () => {
    const jar = new CookieJar();
    const first = await startSignIn(foyer, jar, instanceId);
    const second = await startSignIn(foyer, jar, instanceId);
    const held = bindings(jar);
    expect(held).toHaveLength(2);
    expect(held[0]![1]).not.toBe(held[1]![1]);
    const cbSecond = await consentAt(foyer, second, { accountId: DEMO_IDS.grace, cloudId: DEMO_IDS.acme });
    const cbFirst = await consentAt(foyer, first, { accountId: DEMO_IDS.ada, cloudId: DEMO_IDS.acme });
    for (const url of [cbFirst, cbSecond]) {
      const res = await browserRequest(foyer, jar, url);
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).not.toContain("error=");
    }
  });
});

describe("cookie prefixes on an https deployment", () => {
  let foyer: EmulatedFoyer;
  let instanceId: string;

  beforeAll(async () => {
    foyer = await createEmulatedFoyer("sqlite", { env: { FOYER_PUBLIC_URL: "https://foyer.test" } });
    instanceId = (await createTestInstance(foyer)).id;
  });
  afterAll(() => foyer.close());

  it("sets __Host- on the Path=/ binding cookie and __Secure- on path-scoped cookies", async () => {
    const jar = new CookieJar();
    const start = await browserRequest(foyer, jar, `/fapi/${instanceId}/v1/client/sign_ins`, {
      method: "POST",
      json: { strategy: "oauth_atlassian" },
    });
    const binding = start.headers.getSetCookie().find((l) => l.includes("foyer_oauth"))!;
    expect(binding).toMatch(/^__Host-foyer_oauth_sia_[0-9a-z]+=/);
    expect(binding).toMatch(/; Path=\/(;|$)/);
    expect(binding).toMatch(/; Secure/);
    expect(binding).not.toMatch(/Domain=/i);

    const authorizeUrl = (await start.json()).response.first_factor_verification
      .external_verification_redirect_url as string;
    const callbackUrl = await consentAt(foyer, authorizeUrl, {
      accountId: DEMO_IDS.ada,
      cloudId: DEMO_IDS.acme,
    });
    const callback = await browserRequest(foyer, jar, callbackUrl);
    expect(callback.status).toBe(303);
    expect(callback.headers.get("location")).not.toContain("error=");
    const client = callback.headers.getSetCookie().find((l) => l.includes("__client="))!;
    // A development instance's Frontend API is a path on the public URL's host: __Secure-.
    expect(client).toMatch(new RegExp(`^__Secure-__client=.*; Path=/fapi/${instanceId}`));
    expect(jar.get("__Secure-__client")).toBeTruthy();
    const me = await browserRequest(foyer, jar, `/fapi/${instanceId}/v1/client`);
    expect((await me.json()).response.sessions).toHaveLength(1);

    const form = await foyer.request("https://foyer.test/dashboard/sign-in");
    expect(dashboardCookieName(foyer, "foyer_dashboard_sign_in")).toBe("__Secure-foyer_dashboard_sign_in");
    expect(form.headers.getSetCookie().join("\n")).toMatch(
      /^__Secure-foyer_dashboard_sign_in=.*Path=\/dashboard/m,
    );
    await openSignInForm(foyer);
  });
});
