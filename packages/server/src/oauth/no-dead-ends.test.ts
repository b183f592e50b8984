import { DEMO_IDS } from "@foyer/atlassian-emulator";
import { DB_KINDS } from "@foyer/testkit/databases";
import {
  browserRequest,
  CookieJar,
  consentAt,
  createEmulatedFoyer,
  type EmulatedFoyer,
  signInFlow,
  startSignIn,
} from "@foyer/testkit/emulated-foyer";
import { createTestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** Every failure of a sign-in started from an app goes back to that app with `foyer_error`. */
describe.each(DB_KINDS)("Sign-in failures return to the app (%s)", (kind) => {
  let foyer: EmulatedFoyer;
  let instanceId: string;
  const app = "https://app.example.com";
  const back = `${app}/after?tab=1`;

  beforeAll(async () => {
    foyer = await createEmulatedFoyer(kind);
    instanceId = (await createTestInstance(foyer, { allowedOrigins: [app] })).id;
  });
  afterAll(() => foyer.close());

  const errorAt = (location: string | null) => {
    const url = new URL(location ?? "about:blank");
    return { at: `${url.origin}${url.pathname}`, code: url.searchParams.get("foyer_error") };
  };

  it("cancelled consent", async () => {
    const r = await signInFlow(
      foyer,
      new CookieJar(),
      instanceId,
      { accountId: DEMO_IDS.ada, answer: "cancel" },
      {
        redirectUrl: back,
      },
    );
    expect(r.location).toBe(`${back}&foyer_error=oauth_access_denied`);
  });

  it("no Atlassian site (the only one went away during the consent)", async () => {
    const site = `gone-site-${kind}`;
    foyer.emulator.control.upsertSite({
      cloudId: site,
      name: "Gone",
      url: `https://${site}.atlassian.net`,
      products: ["jira"],
    });
    foyer.emulator.control.upsertAccount({
      accountId: `557058:lost-${kind}`,
      name: "Lost Access",
      email: `lost-${kind}@example.com`,
      siteIds: [site],
    });
    const jar = new CookieJar();
    const authorize = await startSignIn(foyer, jar, instanceId, { redirectUrl: back });
    const callback = await consentAt(foyer, authorize, { accountId: `557058:lost-${kind}`, cloudId: site });
    foyer.emulator.control.removeSite(site);
    const res = await browserRequest(foyer, jar, callback);
    expect(errorAt(res.headers.get("location"))).toEqual({
      at: `${app}/after`,
      code: "atlassian_site_required",
    });
  });

  it("a sign-in that took longer than its transaction lives", async () => {
    const jar = new CookieJar();
    const authorize = await startSignIn(foyer, jar, instanceId, { redirectUrl: back });
    const callback = await consentAt(foyer, authorize, { accountId: DEMO_IDS.ada, cloudId: DEMO_IDS.acme });
    foyer.advance(11 * 60 * 1000);
    const res = await browserRequest(foyer, jar, callback);
    expect(res.status).toBe(303);
    expect(errorAt(res.headers.get("location"))).toEqual({ at: `${app}/after`, code: "oauth_state_expired" });
    // Nothing was signed in.
    const sessions = await foyer.svc.db.kysely.selectFrom("sessions").select("id").execute();
    expect(sessions).toEqual([]);
  });

  it("an expired state whose redirect_url is no longer allowed ends on Foyer's page", async () => {
    const jar = new CookieJar();
    const authorize = await startSignIn(foyer, jar, instanceId, { redirectUrl: back });
    const callback = await consentAt(foyer, authorize, { accountId: DEMO_IDS.ada, cloudId: DEMO_IDS.acme });
    await foyer.platform(`/instances/${instanceId}`, { method: "PATCH", json: { allowed_origins: [] } });
    try {
      foyer.advance(11 * 60 * 1000);
      const res = await browserRequest(foyer, jar, callback);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('data-error-code="oauth_state_invalid"');
    } finally {
      await foyer.platform(`/instances/${instanceId}`, { method: "PATCH", json: { allowed_origins: [app] } });
    }
  });

  it("Atlassian down at the code exchange", async () => {
    const jar = new CookieJar();
    const authorize = await startSignIn(foyer, jar, instanceId, { redirectUrl: back });
    const callback = await consentAt(foyer, authorize, { accountId: DEMO_IDS.ada, cloudId: DEMO_IDS.acme });
    foyer.emulator.control.setFault("token_5xx", { count: 5 });
    const res = await browserRequest(foyer, jar, callback);
    expect(errorAt(res.headers.get("location"))).toEqual({
      at: `${app}/after`,
      code: "oauth_provider_unavailable",
    });
  });

  it("a failure to start (sign-in turned off) goes back to the app from the hosted page", async () => {
    await foyer.platform(`/instances/${instanceId}/social_connections/atlassian`, {
      method: "PATCH",
      json: { authenticatable: false },
    });
    try {
      const res = await browserRequest(foyer, new CookieJar(), `/fapi/${instanceId}/sign-in/atlassian`, {
        method: "POST",
        json: { strategy: "oauth_atlassian", redirect_url: back },
      });
      expect(res.status).toBe(303);
      expect(errorAt(res.headers.get("location"))).toEqual({
        at: `${app}/after`,
        code: "oauth_sign_in_not_allowed",
      });
      // The SDK's one-click page (auto=1) goes back the same way.
      const auto = await foyer.request(
        `/fapi/${instanceId}/sign-in?auto=1&redirect_url=${encodeURIComponent(back)}`,
      );
      expect(auto.status).toBe(303);
      expect(errorAt(auto.headers.get("location"))).toEqual({
        at: `${app}/after`,
        code: "oauth_sign_in_not_allowed",
      });
      // A foreign redirect_url is never followed: the page says so.
      const foreign = await foyer.request(
        `/fapi/${instanceId}/sign-in?auto=1&redirect_url=${encodeURIComponent("https://evil.test/")}`,
      );
      expect(foreign.status).toBe(400);
    } finally {
      await foyer.platform(`/instances/${instanceId}/social_connections/atlassian`, {
        method: "PATCH",
        json: { authenticatable: true },
      });
    }
  });

  it("without a redirect_url, a failure still shows on the hosted sign-in page", async () => {
    const r = await signInFlow(foyer, new CookieJar(), instanceId, {
      accountId: DEMO_IDS.ada,
      answer: "cancel",
    });
    expect(r.location).toContain(`/fapi/${instanceId}/sign-in?error=oauth_access_denied`);
  });
});
