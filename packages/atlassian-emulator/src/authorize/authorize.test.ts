/**
 * The /authorize error pages and the two-step consent form, through app.request (no socket).
 */
import { beforeEach, describe, expect, it } from "vitest";
import { createAtlassianEmulator } from "../app.js";
import { DEMO_IDS, demoSeed } from "../demo-seed.js";
import type { EmulatorApp } from "../types.js";

const APP: EmulatorApp = {
  clientId: "client-1",
  clientSecret: "secret-1",
  name: "Test <App>",
  callbackUrl: "http://localhost:4000/cb",
  scopes: [
    "read:me",
    "read:account",
    "openid",
    "profile",
    "email",
    "report:personal-data",
    "read:jira-work",
    "read:space:confluence",
  ],
  shared: true,
};

const seed = { ...demoSeed(), apps: [APP] };
const { app, control } = createAtlassianEmulator({ seed });
beforeEach(() => control.reset());

function authorize(params: Record<string, string | undefined> = {}) {
  const all: Record<string, string | undefined> = {
    audience: "api.atlassian.com",
    client_id: APP.clientId,
    scope: "read:me read:jira-work offline_access",
    redirect_uri: APP.callbackUrl,
    state: "s1",
    response_type: "code",
    prompt: "consent",
    ...params,
  };
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(all)) if (v !== undefined) query.set(k, v);
  return app.request(`/authorize?${query}`);
}

function post(path: string, fields: Record<string, string>) {
  return app.request(path, { method: "POST", body: new URLSearchParams(fields) });
}

async function expectErrorPage(res: Response, status: number, text: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("location")).toBeNull();
  expect(res.headers.get("content-type")).toContain("text/html");
  const html = await res.text();
  expect(html).toContain(text);
  expect(html).toContain("Foyer Atlassian emulator");
  return html;
}

describe("authorize error pages (never a redirect)", () => {
  it("unknown client", async () => {
    await expectErrorPage(await authorize({ client_id: "nope" }), 400, "couldn&#39;t find the app");
  });

  it("redirect_uri not byte-equal to the callback URL", async () => {
    await expectErrorPage(
      await authorize({ redirect_uri: `${APP.callbackUrl}/` }),
      400,
      "does not match the callback URL",
    );
    await expectErrorPage(
      await authorize({ redirect_uri: undefined }),
      400,
      "does not match the callback URL",
    );
  });

  it("response_type other than code", async () => {
    await expectErrorPage(await authorize({ response_type: "token" }), 400, "response_type=code");
  });

  it("the RFC 8707 resource parameter", async () => {
    await expectErrorPage(
      await authorize({ resource: "https://api.atlassian.com" }),
      400,
      "resource parameter",
    );
  });

  it("no scope, or no supported scope", async () => {
    const text = "This app has not requested any supported Atlassian scopes";
    await expectErrorPage(await authorize({ scope: undefined }), 400, text);
    await expectErrorPage(await authorize({ scope: "" }), 400, text);
    await expectErrorPage(await authorize({ scope: "offline_access" }), 400, text);
    await expectErrorPage(await authorize({ scope: "read:me,read:jira-work" }), 400, text);
  });

  it("scopes not enabled on the app, listed by API", async () => {
    control.upsertApp({ ...APP, scopes: ["read:jira-work"] });
    await expectErrorPage(
      await authorize(),
      400,
      "This app has requested User identity API scopes that have not been added to the app. Configure the app at https://developer.atlassian.com/apps and add the following scopes to the app: read:me.",
    );
  });

  it("a private app used by someone other than its owner: Something went wrong", async () => {
    control.upsertApp({ ...APP, shared: false, ownerAccountId: DEMO_IDS.grace });
    control.queueConsent({ accountId: DEMO_IDS.ada });
    await expectErrorPage(await authorize(), 400, "Something went wrong");
    control.queueConsent({ accountId: DEMO_IDS.grace });
    expect((await authorize()).status).toBe(302);
  });

  it("site-bound scopes and an account without a site: Access denied", async () => {
    control.queueConsent({ accountId: DEMO_IDS.alan });
    await expectErrorPage(
      await authorize(),
      403,
      "Access denied. This app requires access to a User identity API &amp; Jira API site which you don&#39;t have or don&#39;t have the permission to access.",
    );
    // Identity only needs no site.
    control.queueConsent({ accountId: DEMO_IDS.alan });
    expect((await authorize({ scope: "read:me" })).status).toBe(302);
  });

  it("every identity scope is siteless; one site-bound scope among them needs a site", async () => {
    const identity = "read:me read:account openid profile email report:personal-data offline_access";
    control.queueConsent({ accountId: DEMO_IDS.alan });
    const res = await authorize({ scope: identity });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get("location")!).searchParams.get("code")).toBeTruthy();
    control.queueConsent({ accountId: DEMO_IDS.alan });
    expect((await authorize({ scope: `${identity} read:jira-work` })).status).toBe(403);
  });

  it("a queued cloudId the account cannot grant", async () => {
    control.queueConsent({ accountId: DEMO_IDS.grace, cloudId: DEMO_IDS.globex });
    await expectErrorPage(await authorize(), 400, "not one this account can grant");
  });

  it("a Confluence scope only offers Confluence sites", async () => {
    control.queueConsent({ accountId: DEMO_IDS.ada, cloudId: DEMO_IDS.globex });
    await expectErrorPage(
      await authorize({ scope: "read:me read:space:confluence" }),
      400,
      "not one this account",
    );
  });
});

describe("interactive consent", () => {
  async function pendingFrom(res: Response) {
    const html = await res.text();
    return /name="pending" value="([^"]+)"/.exec(html)![1]!;
  }

  it("account step, consent step with a site picker, Accept redirects with code and state", async () => {
    const first = await authorize();
    expect(first.status).toBe(200);
    expect(first.headers.get("x-frame-options")).toBe("DENY");
    const accountsHtml = await first.clone().text();
    for (const name of ["Ada Lovelace", "Grace Hopper", "Alan Turing"]) expect(accountsHtml).toContain(name);
    const pending = await pendingFrom(first);

    const consent = await post("/authorize/account", { pending, mode: "existing", account_id: DEMO_IDS.ada });
    expect(consent.status).toBe(200);
    const html = await consent.text();
    expect(html).toContain("Test &lt;App&gt;"); // escaped app name
    expect(html).not.toContain("Test <App>");
    expect(html).toContain("View Jira issue data");
    expect(html).toContain(`value="${DEMO_IDS.acme}"`);
    expect(html).toContain(`value="${DEMO_IDS.globex}"`);

    const missingSite = await post("/authorize/consent", { pending, answer: "accept" });
    expect(missingSite.status).toBe(400);
    expect(await missingSite.text()).toContain("Choose a site");

    const accepted = await post("/authorize/consent", {
      pending,
      answer: "accept",
      cloud_id: DEMO_IDS.globex,
    });
    expect(accepted.status).toBe(302);
    const location = new URL(accepted.headers.get("location")!);
    expect(location.searchParams.get("state")).toBe("s1");
    expect(location.searchParams.get("code")).toBeTruthy();
    expect(control.grants()).toEqual([expect.objectContaining({ cloudIds: [DEMO_IDS.globex] })]);

    // The pending id is single use.
    const replay = await post("/authorize/consent", { pending, answer: "accept", cloud_id: DEMO_IDS.globex });
    expect(replay.status).toBe(400);
  });

  it("Cancel redirects with access_denied", async () => {
    const pending = await pendingFrom(await authorize());
    await post("/authorize/account", { pending, mode: "existing", account_id: DEMO_IDS.ada });
    const res = await post("/authorize/consent", { pending, answer: "cancel" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(
      `${APP.callbackUrl}?error=access_denied&error_description=User%20did%20not%20authorize%20the%20request&state=s1`,
    );
  });

  it("no picker for identity-only scopes", async () => {
    const pending = await pendingFrom(await authorize({ scope: "read:me" }));
    const html = await (
      await post("/authorize/account", { pending, mode: "existing", account_id: DEMO_IDS.alan })
    ).text();
    expect(html).not.toContain('name="cloud_id"');
    const res = await post("/authorize/consent", { pending, answer: "accept" });
    expect(res.status).toBe(302);
  });

  it("an account without a site may Accept identity-only scopes, with no picker", async () => {
    const pending = await pendingFrom(await authorize({ scope: "read:account openid email" }));
    const consent = await post("/authorize/account", {
      pending,
      mode: "existing",
      account_id: DEMO_IDS.alan,
    });
    expect(consent.status).toBe(200);
    const html = await consent.text();
    expect(html).not.toContain('name="cloud_id"');
    expect(html).toContain("View your email address");
    const res = await post("/authorize/consent", { pending, answer: "accept" });
    expect(res.status).toBe(302);
    expect(control.grants()).toEqual([expect.objectContaining({ accountId: DEMO_IDS.alan, cloudIds: [] })]);
  });

  it("creates an account from the form, escaping what was typed", async () => {
    const pending = await pendingFrom(await authorize());
    const res = await post("/authorize/account", {
      pending,
      mode: "create",
      name: '<script>alert("x")</script>',
      email: "new@example.com",
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain("<script>alert");
    expect(html).toContain("&lt;script&gt;");
    const bad = await post("/authorize/account", { pending, mode: "create", name: "", email: "nope" });
    expect(bad.status).toBe(400);
  });

  it("shows the private-app error after the account is chosen", async () => {
    control.upsertApp({ ...APP, shared: false, ownerAccountId: DEMO_IDS.grace });
    const pending = await pendingFrom(await authorize());
    const res = await post("/authorize/account", { pending, mode: "existing", account_id: DEMO_IDS.ada });
    await expectErrorPage(res, 400, "Something went wrong");
  });

  it("refuses an unknown pending id", async () => {
    await expectErrorPage(
      await post("/authorize/consent", { pending: "nope", answer: "accept" }),
      400,
      "expired",
    );
  });
});
