import { DEMO_IDS } from "@foyer/atlassian-emulator";
import { DB_KINDS } from "@foyer/testkit/databases";
import {
  browserRequest,
  CookieJar,
  consentAt,
  createEmulatedFoyer,
  type EmulatedFoyer,
  signInFlow,
} from "@foyer/testkit/emulated-foyer";
import { createTestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** The hosted reconnect page (`/connect/atlassian`) an MCP server's step-up sends the user to. */
describe.each(DB_KINDS)("Hosted connect page (%s)", (kind) => {
  let foyer: EmulatedFoyer;
  let instanceId: string;
  let fapi: string;

  beforeAll(async () => {
    foyer = await createEmulatedFoyer(kind);
    instanceId = (await createTestInstance(foyer)).id;
    fapi = `${foyer.svc.config.publicUrl}/fapi/${instanceId}`;
  });
  afterAll(() => foyer.close());

  const page = (jar: CookieJar, query: string) =>
    browserRequest(foyer, jar, `${fapi}/connect/atlassian${query}`);
  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  const post = (jar: CookieJar, form: Record<string, string>, origin = new URL(fapi).origin) =>
    browserRequest(foyer, jar, `${fapi}/connect/atlassian`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin },
      body: new URLSearchParams(form).toString(),
    });
  const signedIn = async () => {
    const jar = new CookieJar();
    await signInFlow(foyer, jar, instanceId, { accountId: DEMO_IDS.ada, cloudId: DEMO_IDS.acme });
    return jar;
  };

  it("sends a signed-out user through sign-in first, and back here afterwards", async () => {
    const res = await page(
      new CookieJar(),
      `?scope=${encodeURIComponent("read:jira-work search:confluence")}&cloud_id=${DEMO_IDS.acme}`,
    );
    expect(res.status).toBe(303);
    const signIn = new URL(res.headers.get("location")!);
    expect(`${signIn.origin}${signIn.pathname}`).toBe(`${fapi}/sign-in`);
    const back = new URL(signIn.searchParams.get("redirect_url")!);
    expect(`${back.origin}${back.pathname}`).toBe(`${fapi}/connect/atlassian`);
    expect(back.searchParams.get("scope")).toBe("read:jira-work search:confluence");
    expect(back.searchParams.get("cloud_id")).toBe(DEMO_IDS.acme);
    // The sign-in page accepts that redirect_url (the Frontend API's own origin).
    const signInPage = await foyer.request(signIn.href);
    expect(signInPage.status).toBe(200);
  });

  it("shows the signed-in user a form (strict CSP) that starts the connect flow with the union of scopes, and ends on the done page", async () => {
    const jar = await signedIn();
    const res = await page(jar, `?scope=${encodeURIComponent("read:jira-work")}&cloud_id=${DEMO_IDS.acme}`);
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await res.text();
    expect(html).toContain('data-testid="user-name"');
    expect(html).toContain('<code data-testid="scope">read:jira-work</code>');
    const csrf = csrfOf(html);
    expect(csrf).toBeDefined();

    const started = await post(jar, { _csrf: csrf!, scope: "read:jira-work", cloud_id: DEMO_IDS.acme });
    expect(started.status).toBe(303);
    const authorize = new URL(started.headers.get("location")!);
    expect(authorize.origin).toBe(new URL(foyer.emulator.authUrl).origin);
    // The scopes the account already holds are asked again, with the new one.
    expect(authorize.searchParams.get("scope")!.split(" ")).toEqual(
      expect.arrayContaining(["read:me", "offline_access", "read:jira-work"]),
    );
    const callback = await consentAt(foyer, authorize.href, {
      accountId: DEMO_IDS.ada,
      cloudId: DEMO_IDS.acme,
    });
    const done = await browserRequest(foyer, jar, callback);
    expect(done.headers.get("location")).toBe(`${fapi}/connect/atlassian/done`);
    const donePage = await (await browserRequest(foyer, jar, done.headers.get("location")!)).text();
    expect(donePage).toContain('data-testid="connect-done"');
    const account = await foyer.svc.db.kysely
      .selectFrom("external_accounts")
      .select("approved_scopes")
      .where("provider_user_id", "=", DEMO_IDS.ada)
      .executeTakeFirstOrThrow();
    expect(account.approved_scopes.split(" ")).toContain("read:jira-work");
  });

  it("answers bad input with a coded error and no form", async () => {
    const jar = await signedIn();
    const badScope = await page(jar, `?scope=${encodeURIComponent("read:jira-work <script>")}`);
    expect(badScope.status).toBe(422);
    const html = await badScope.text();
    expect(html).toContain('data-error-code="atlassian_scope_invalid"');
    expect(html).not.toContain("<script>");
    expect(html).not.toContain('name="_csrf"');
    const badSite = await page(jar, `?cloud_id=${encodeURIComponent("../x")}`);
    expect(badSite.status).toBe(400);
    expect(await badSite.text()).toContain('data-error-code="query_param_invalid"');
  });

  it("refuses a POST without the page's CSRF token, with a forged one, and from another site", async () => {
    const jar = await signedIn();
    const csrf = csrfOf(await (await page(jar, "?scope=read:jira-work")).text())!;
    const missing = await post(jar, { _csrf: "", scope: "read:jira-work" });
    expect(missing.status).toBe(403);
    expect((await missing.json()).errors[0].code).toBe("csrf_token_invalid");
    const forged = await post(jar, { _csrf: `${csrf.slice(0, -2)}xx`, scope: "read:jira-work" });
    expect((await forged.json()).errors[0].code).toBe("csrf_token_invalid");
    // An attacker's page holds neither the cookie nor the value: a jar without the cookie fails.
    const stranger = new CookieJar();
    for (const [name, value] of jar.all()) if (!name.includes("connect_csrf")) stranger.set(name, value);
    expect(
      (await (await post(stranger, { _csrf: csrf, scope: "read:jira-work" })).json()).errors[0].code,
    ).toBe("csrf_token_invalid");
    const crossSite = await post(jar, { _csrf: csrf, scope: "read:jira-work" }, "https://evil.example");
    expect(crossSite.status).toBe(403);
    expect((await crossSite.json()).errors[0].code).toBe("cross_site_request_refused");
    // The genuine form still works once.
    expect((await post(jar, { _csrf: csrf, scope: "read:jira-work" })).status).toBe(303);
  });

  it("shows the callback's error on the done page, and ignores unknown codes", async () => {
    const jar = new CookieJar();
    const denied = await (await page(jar, "/done?foyer_error=oauth_access_denied")).text();
    expect(denied).toContain('data-error-code="oauth_access_denied"');
    const junk = await (await page(jar, "/done?foyer_error=%3Cb%3E")).text();
    expect(junk).not.toContain('role="alert"');
    expect(junk).toContain('data-testid="connect-done"');
  });
});
