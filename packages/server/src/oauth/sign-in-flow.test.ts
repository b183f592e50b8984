import { DEMO_IDS } from "@foyer/atlassian-emulator";
import { DB_KINDS } from "@foyer/testkit/databases";
import {
  browserRequest,
  CookieJar,
  consentAt,
  createEmulatedFoyer,
  type EmulatedFoyer,
  SHARED_CLIENT_ID,
  signInFlow,
  startSignIn,
} from "@foyer/testkit/emulated-foyer";
import { createTestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe.each(DB_KINDS)("Sign in with Atlassian (%s)", (kind) => {
  let foyer: EmulatedFoyer;
  let instance: { id: string; secretKey: string };
  const app = "https://app.example.com";

  beforeAll(async () => {
    foyer = await createEmulatedFoyer(kind);
    instance = await createTestInstance(foyer);
    await foyer.platform(`/instances/${instance.id}`, { method: "PATCH", json: { allowed_origins: [app] } });
  });
  afterAll(() => foyer.close());

  const users = async () =>
    foyer.svc.db.kysely.selectFrom("users").selectAll().where("instance_id", "=", instance.id).execute();
  const account = (accountId: string) =>
    foyer.svc.db.kysely
      .selectFrom("external_accounts")
      .selectAll()
      .where("provider_user_id", "=", accountId)
      .where("instance_id", "=", instance.id)
      .executeTakeFirstOrThrow();

  it("sends Atlassian exactly the documented authorize parameters", async () => {
    const url = new URL(await startSignIn(foyer, new CookieJar(), instance.id));
    expect(url.origin + url.pathname).toBe(`${foyer.emulator.authUrl}/authorize`);
    const p = url.searchParams;
    expect(p.get("audience")).toBe("api.atlassian.com");
    expect(p.get("client_id")).toBe(SHARED_CLIENT_ID);
    expect(p.get("scope")).toBe("read:me read:jira-user offline_access");
    expect(url.search).toContain("scope=read%3Ame%20read%3Ajira-user%20offline_access");
    expect(p.get("redirect_uri")).toBe(`${foyer.svc.config.publicUrl}/v1/oauth_callback`);
    expect(p.get("response_type")).toBe("code");
    expect(p.get("prompt")).toBe("consent");
    expect(p.get("code_challenge_method")).toBe("S256");
    expect(p.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(p.get("state")!.length).toBeGreaterThanOrEqual(43);
    expect(p.has("resource")).toBe(false);
  });

  it("signs a new user up from the Atlassian profile and signs them in", async () => {
    const jar = new CookieJar();
    const flow = await signInFlow(
      foyer,
      jar,
      instance.id,
      { accountId: DEMO_IDS.ada, cloudId: DEMO_IDS.acme },
      {
        redirectUrl: `${app}/dashboard`,
      },
    );
    expect(flow.callback.status).toBe(303);
    expect(flow.location).toBe(`${app}/dashboard`);
    expect(flow.callback.headers.get("cache-control")).toBe("no-store");
    expect(flow.callback.headers.get("referrer-policy")).toBe("no-referrer");
    expect(jar.get("__client")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const setCookie = flow.callback.headers.getSetCookie().find((c) => c.startsWith("__client="))!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toContain(`Path=/fapi/${instance.id}`);

    const [user] = await users();
    expect(user).toMatchObject({ first_name: "Ada", last_name: "Lovelace" });
    const ea = await account(DEMO_IDS.ada);
    expect(ea.user_id).toBe(user!.id);
    expect(ea.approved_scopes.split(" ")).toEqual(
      expect.arrayContaining(["read:me", "read:jira-user", "offline_access"]),
    );
    expect(JSON.parse(ea.sites).map((s: { id: string }) => s.id)).toEqual([DEMO_IDS.acme]);
    expect(ea.last_added_site_id).toBe(DEMO_IDS.acme);
    expect(ea.access_token_enc).toMatch(/^v1\./);
    expect(ea.refresh_token_enc).toMatch(/^v1\./);
    const emails = await foyer.svc.db.kysely
      .selectFrom("email_addresses")
      .selectAll()
      .where("user_id", "=", user!.id)
      .execute();
    expect(emails).toMatchObject([{ email_address: "ada@example.com", verified: 1 }]);
    const sessions = await foyer.svc.db.kysely
      .selectFrom("sessions")
      .selectAll()
      .where("user_id", "=", user!.id)
      .execute();
    expect(sessions).toHaveLength(1);
  });

  it("signs the same Atlassian account in again as the same user, with a fresh client", async () => {
    const jar = new CookieJar();
    jar.set("__client", "planted-by-an-attacker-0000000000000000000000", `/fapi/${instance.id}`);
    const flow = await signInFlow(foyer, jar, instance.id, {
      accountId: DEMO_IDS.ada,
      cloudId: DEMO_IDS.globex,
    });
    expect(flow.location).toBe(`${foyer.svc.config.publicUrl}/fapi/${instance.id}/signed-in`);
    expect(await users()).toHaveLength(1);
    expect(jar.get("__client")).not.toBe("planted-by-an-attacker-0000000000000000000000");
    // One grant per account: the second consent added Globex, and Foyer tells which.
    const ea = await account(DEMO_IDS.ada);
    expect(
      JSON.parse(ea.sites)
        .map((s: { id: string }) => s.id)
        .sort(),
    ).toEqual([DEMO_IDS.acme, DEMO_IDS.globex].sort());
    expect(ea.last_added_site_id).toBe(DEMO_IDS.globex);
    const page = await browserRequest(foyer, jar, flow.location!);
    expect(await page.text()).toContain("Ada Lovelace");
  });

  it("keeps the user when the Atlassian profile changes, updating its fields", async () => {
    foyer.emulator.control.updateAccount(DEMO_IDS.ada, { name: "Ada King", email: "countess@example.com" });
    await signInFlow(foyer, new CookieJar(), instance.id, {
      accountId: DEMO_IDS.ada,
      cloudId: DEMO_IDS.acme,
    });
    const all = await users();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ first_name: "Ada", last_name: "King" });
    expect((await account(DEMO_IDS.ada)).email_address).toBe("countess@example.com");
  });

  it("sends a cancelled consent back to the sign-in page and creates nothing", async () => {
    const jar = new CookieJar();
    const flow = await signInFlow(foyer, jar, instance.id, { accountId: DEMO_IDS.grace, answer: "cancel" });
    expect(flow.callbackUrl).toContain("error=access_denied");
    expect(flow.location).toContain(`/fapi/${instance.id}/sign-in?error=oauth_access_denied`);
    expect(await users()).toHaveLength(1);
    const page = await browserRequest(foyer, jar, flow.location!);
    expect(await page.text()).toContain("You cancelled the sign-in on Atlassian.");
  });

  it("refuses a grant with no Atlassian site when site scopes were asked, creating nothing", async () => {
    foyer.emulator.control.upsertSite({
      cloudId: "gone-site",
      name: "Gone",
      url: "https://gone.atlassian.net",
      products: ["jira"],
    });
    foyer.emulator.control.upsertAccount({
      accountId: "557058:lost",
      name: "Lost Access",
      email: "lost@example.com",
      siteIds: ["gone-site"],
    });
    const jar = new CookieJar();
    const authorizeUrl = await startSignIn(foyer, jar, instance.id);
    const callbackUrl = await consentAt(foyer, authorizeUrl, {
      accountId: "557058:lost",
      cloudId: "gone-site",
    });
    foyer.emulator.control.removeSite("gone-site");
    const res = await browserRequest(foyer, jar, callbackUrl);
    expect(res.headers.get("location")).toContain("error=atlassian_site_required");
    expect(await users()).toHaveLength(1);
    const page = await browserRequest(foyer, jar, res.headers.get("location")!);
    expect(await page.text()).toContain("at least one Atlassian site");
  });

  it("refuses a closed Atlassian account", async () => {
    foyer.emulator.control.upsertAccount({
      accountId: "557058:closed",
      name: "Closed",
      siteIds: [DEMO_IDS.acme],
      accountStatus: "closed",
    });
    const flow = await signInFlow(foyer, new CookieJar(), instance.id, {
      accountId: "557058:closed",
      cloudId: DEMO_IDS.acme,
    });
    expect(flow.location).toContain("error=atlassian_account_inactive");
    expect(await users()).toHaveLength(1);
  });

  it("answers a retryable error when Atlassian is down, storing nothing", async () => {
    const jar = new CookieJar();
    const authorizeUrl = await startSignIn(foyer, jar, instance.id);
    const callbackUrl = await consentAt(foyer, authorizeUrl, {
      accountId: DEMO_IDS.grace,
      cloudId: DEMO_IDS.acme,
    });
    foyer.emulator.control.setFault("token_5xx", true);
    try {
      const res = await browserRequest(foyer, jar, callbackUrl);
      expect(res.headers.get("location")).toContain("error=oauth_provider_unavailable");
    } finally {
      foyer.emulator.control.clearFaults();
    }
    const hang = await startSignIn(foyer, jar, instance.id);
    const hangCallback = await consentAt(foyer, hang, { accountId: DEMO_IDS.grace, cloudId: DEMO_IDS.acme });
    foyer.emulator.control.setFault("token_hang", true);
    try {
      const res = await browserRequest(foyer, jar, hangCallback);
      expect(res.headers.get("location")).toContain("error=oauth_provider_unavailable");
    } finally {
      foyer.emulator.control.clearFaults();
    }
    foyer.emulator.control.setFault("me_503", true);
    try {
      const flow = await signInFlow(foyer, jar, instance.id, {
        accountId: DEMO_IDS.grace,
        cloudId: DEMO_IDS.acme,
      });
      expect(flow.location).toContain("error=oauth_provider_unavailable");
    } finally {
      foyer.emulator.control.clearFaults();
    }
    expect(await users()).toHaveLength(1);
  });

  it("treats a token response that is not JSON as Atlassian's nonsense, creating nothing", async () => {
    const jar = new CookieJar();
    const authorizeUrl = await startSignIn(foyer, jar, instance.id);
    const callbackUrl = await consentAt(foyer, authorizeUrl, {
      accountId: DEMO_IDS.grace,
      cloudId: DEMO_IDS.acme,
    });
    foyer.emulator.control.setFault("token_garbage", true);
    try {
      const res = await browserRequest(foyer, jar, callbackUrl);
      expect(res.headers.get("location")).toContain("error=oauth_provider_error");
    } finally {
      foyer.emulator.control.clearFaults();
    }
    expect(await users()).toHaveLength(1);
  });

  it("blames a bad client secret on the configuration, not the user", async () => {
    const other = await createTestInstance(foyer, { name: "Misconfigured" });
    foyer.emulator.control.upsertApp({
      clientId: "custom-client",
      clientSecret: "the-real-secret",
      name: "Custom",
      callbackUrl: `${foyer.svc.config.publicUrl}/fapi/${other.id}/v1/oauth_callback`,
      scopes: ["read:me", "read:jira-user"],
      shared: true,
    });
    const patch = await foyer.platform(`/instances/${other.id}/social_connections/atlassian`, {
      method: "PATCH",
      json: {
        enabled: true,
        use_custom_credentials: true,
        client_id: "custom-client",
        client_secret: "a-wrong-secret",
      },
    });
    expect(patch.status).toBe(200);
    const flow = await signInFlow(foyer, new CookieJar(), other.id, {
      accountId: DEMO_IDS.grace,
      cloudId: DEMO_IDS.acme,
    });
    expect(flow.authorizeUrl).toContain(encodeURIComponent(`/fapi/${other.id}/v1/oauth_callback`));
    expect(flow.location).toContain("error=oauth_invalid_client");
    expect(foyer.logs()).toContain("Atlassian refused the Client ID or Client Secret");
    expect(foyer.logs()).not.toContain("a-wrong-secret");
  });

  it("refuses sign-in through a connect-only connection", async () => {
    const other = await createTestInstance(foyer, { name: "Connect only" });
    await foyer.platform(`/instances/${other.id}/social_connections/atlassian`, {
      method: "PATCH",
      json: { authenticatable: false },
    });
    const res = await foyer.request(`/fapi/${other.id}/v1/client/sign_ins`, {
      method: "POST",
      json: { strategy: "oauth_atlassian" },
    });
    expect(res.status).toBe(403);
    expect((await res.json()).errors[0].code).toBe("oauth_sign_in_not_allowed");
  });
});
