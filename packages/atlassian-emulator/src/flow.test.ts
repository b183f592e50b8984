import {
  APP,
  authorizeUrl,
  bearer,
  codeFor,
  DEMO_IDS,
  fetchAuthorize,
  oauthClient,
  postToken,
  signIn,
  startTestEmulator,
} from "@foyer/testkit/emulator-client";
import * as oauth from "oauth4webapi";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";

const running = await startTestEmulator();
afterAll(() => running.close());
beforeEach(() => running.control.reset());

describe("authorization code flow with queued consent", () => {
  it("redirects with an opaque code and the state, then exchanges it for Atlassian-shaped tokens", async () => {
    running.control.queueConsent({ accountId: DEMO_IDS.ada, cloudId: DEMO_IDS.acme });
    const res = await fetchAuthorize(authorizeUrl(running));
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe(APP.callbackUrl);
    expect(location.searchParams.get("state")).toBe("state-123");
    const code = location.searchParams.get("code")!;
    expect(code.length).toBeGreaterThan(20);
    expect(code.split(".")).toHaveLength(1);

    const tokenRes = await postToken(running, {
      grant_type: "authorization_code",
      client_id: APP.clientId,
      client_secret: APP.clientSecret,
      code,
      redirect_uri: APP.callbackUrl,
    });
    expect(tokenRes.status).toBe(200);
    expect(tokenRes.headers.get("content-type")).toContain("application/json");
    const body = (await tokenRes.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ expires_in: 3600, token_type: "Bearer" });
    expect(body.scope).toBe("read:me read:jira-work read:jira-user offline_access");
    expect(typeof body.access_token).toBe("string");
    expect(String(body.access_token).split(".")).toHaveLength(1); // opaque, not a JWT
    expect(typeof body.refresh_token).toBe("string");
    expect(running.control.counters()).toMatchObject({ authorizations: 1, codeExchanges: 1 });
  });

  it("records what the client sent to /authorize", async () => {
    await signIn(running);
    expect(running.control.lastAuthorizeRequest()).toMatchObject({
      audience: "api.atlassian.com",
      prompt: "consent",
    });
  });

  it("leaves state out of the redirect only when none was sent", async () => {
    running.control.queueConsent({ accountId: DEMO_IDS.ada });
    const res = await fetchAuthorize(authorizeUrl(running, { state: undefined }));
    const location = new URL(res.headers.get("location")!);
    expect(location.searchParams.has("state")).toBe(false);
    expect(location.searchParams.has("code")).toBe(true);
  });

  it("accepts scopes separated by +", async () => {
    running.control.queueConsent({ accountId: DEMO_IDS.ada });
    const url = `${authorizeUrl(running, { scope: undefined })}&scope=read:me+read:jira-work`;
    const res = await fetch(url, { redirect: "manual" });
    expect(res.status).toBe(302);
  });

  it("issues no refresh token without offline_access", async () => {
    const tokens = await signIn(running, { scope: "read:me read:jira-work" });
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.scope).toBe("read:me read:jira-work");
  });

  it("sends the user back with access_denied when the consent is cancelled", async () => {
    running.control.queueConsent({ accountId: DEMO_IDS.ada, answer: "cancel" });
    const res = await fetchAuthorize(authorizeUrl(running));
    expect(res.status).toBe(302);
    const location = res.headers.get("location")!;
    expect(location).toBe(
      `${APP.callbackUrl}?error=access_denied&error_description=User%20did%20not%20authorize%20the%20request&state=state-123`,
    );
    const { as, client } = oauthClient(running);
    expect(() => oauth.validateAuthResponse(as, client, new URL(location), "state-123")).toThrow(
      oauth.AuthorizationResponseError,
    );
  });

  it("answers every /authorize automatically while auto consent is on", async () => {
    running.control.setAutoConsent({ accountId: DEMO_IDS.grace });
    for (let i = 0; i < 3; i++) expect((await fetchAuthorize(authorizeUrl(running))).status).toBe(302);
    running.control.setAutoConsent(null);
    expect((await fetchAuthorize(authorizeUrl(running))).status).toBe(200); // the account page
  });
});

describe("identity API", () => {
  it("GET /me returns the profile of the consenting account", async () => {
    const tokens = await signIn(running);
    const res = await bearer(running, "/me", tokens.access_token);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      account_type: "atlassian",
      account_id: DEMO_IDS.ada,
      email: "ada@example.com",
      email_verified: true,
      name: "Ada Lovelace",
      account_status: "active",
      nickname: "ada",
      zoneinfo: "Europe/London",
      locale: "en-GB",
      extended_profile: { job_title: "Analyst" },
    });
    expect(running.control.counters().meCalls).toBe(1);
  });

  it("hides email when the account hides it, and email_verified when the setting is off", async () => {
    running.control.updateAccount(DEMO_IDS.ada, { hideEmail: true, name: "Ada King" });
    running.control.settings({ emitEmailVerified: false });
    const tokens = await signIn(running);
    const me = (await (await bearer(running, "/me", tokens.access_token)).json()) as Record<string, unknown>;
    expect(me.email).toBeUndefined();
    expect(me.email_verified).toBeUndefined();
    expect(me.last_updated).toBeUndefined();
    expect(me.name).toBe("Ada King");
  });

  it("GET /me refuses missing, unknown and expired tokens with 401, and a token without read:me with 403", async () => {
    expect((await fetch(`${running.apiUrl}/me`)).status).toBe(401);
    const unknown = await bearer(running, "/me", "nope");
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toEqual({ code: 401, message: "Unauthorized" });

    const noMe = await signIn(running, { scope: "read:jira-work" });
    expect((await bearer(running, "/me", noMe.access_token)).status).toBe(403);

    const tokens = await signIn(running);
    running.control.advanceClock(3600 * 1000);
    expect((await bearer(running, "/me", tokens.access_token)).status).toBe(401);
  });

  it("accessible-resources lists the granted site with its site-bound scopes", async () => {
    const tokens = await signIn(running, { cloudId: DEMO_IDS.acme });
    const res = await bearer(running, "/oauth/token/accessible-resources", tokens.access_token);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([
      {
        id: DEMO_IDS.acme,
        name: "Acme",
        url: "https://acme-demo.atlassian.net",
        scopes: ["read:jira-work", "read:jira-user"],
        avatarUrl: expect.any(String),
      },
    ]);
  });

  it("accessible-resources is [] for an identity-only grant", async () => {
    const tokens = await signIn(running, { scope: "read:me" });
    expect(
      await (await bearer(running, "/oauth/token/accessible-resources", tokens.access_token)).json(),
    ).toEqual([]);
  });

  it("a second consent adds its site to the one grant, and the earlier token reaches it", async () => {
    const first = await signIn(running, { cloudId: DEMO_IDS.acme });
    await signIn(running, { cloudId: DEMO_IDS.globex });
    const res = await bearer(running, "/oauth/token/accessible-resources", first.access_token);
    const ids = ((await res.json()) as { id: string }[]).map((r) => r.id).sort();
    expect(ids).toEqual([DEMO_IDS.acme, DEMO_IDS.globex].sort());
    expect(running.control.grants()).toEqual([
      expect.objectContaining({
        accountId: DEMO_IDS.ada,
        cloudIds: [DEMO_IDS.acme, DEMO_IDS.globex],
        revoked: false,
      }),
    ]);
    const myself = await bearer(running, `/ex/jira/${DEMO_IDS.globex}/rest/api/3/myself`, first.access_token);
    expect(myself.status).toBe(200);
  });

  it("accessible-resources order changes between calls", async () => {
    const tokens = await signIn(running, { cloudId: DEMO_IDS.acme });
    await signIn(running, { cloudId: DEMO_IDS.globex });
    const orders = new Set<string>();
    for (let i = 0; i < 40 && orders.size < 2; i++) {
      const list = (await (
        await bearer(running, "/oauth/token/accessible-resources", tokens.access_token)
      ).json()) as {
        id: string;
      }[];
      orders.add(list.map((r) => r.id).join());
    }
    expect(orders.size).toBe(2);
  });

  it("an account-level app grants every site without a picker", async () => {
    running.control.upsertApp({ ...APP, accessType: "account" });
    const tokens = await signIn(running);
    const list = (await (
      await bearer(running, "/oauth/token/accessible-resources", tokens.access_token)
    ).json()) as unknown[];
    expect(list).toHaveLength(2);
  });
});

describe("token endpoint: code exchange", () => {
  const exchange = (code: string, extra: Record<string, string> = {}, json = false) =>
    postToken(
      running,
      {
        grant_type: "authorization_code",
        client_id: APP.clientId,
        client_secret: APP.clientSecret,
        code,
        redirect_uri: APP.callbackUrl,
        ...extra,
      },
      json,
    );

  it("accepts a JSON body", async () => {
    const res = await exchange(await codeFor(running), {}, true);
    expect(res.status).toBe(200);
  });

  it("accepts HTTP Basic client authentication", async () => {
    const tokens = await signIn(running, { clientAuth: oauth.ClientSecretBasic(APP.clientSecret) });
    expect(tokens.access_token).toBeTruthy();
  });

  it("refuses a replayed code", async () => {
    const code = await codeFor(running);
    expect((await exchange(code)).status).toBe(200);
    const replay = await exchange(code);
    expect(replay.status).toBe(400);
    expect(await replay.json()).toEqual({
      error: "invalid_request",
      error_description: "authorization_code is invalid",
    });
    expect(running.control.counters()).toMatchObject({ codeExchanges: 1, codeExchangeFailures: 1 });
  });

  it("uses the 403 invalid_grant wording when badCodeStyle says so", async () => {
    running.control.settings({ badCodeStyle: "invalid_grant" });
    const res = await exchange("garbage");
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: "invalid_grant",
      error_description: "Invalid authorization code",
    });
  });

  it("refuses an expired code", async () => {
    running.control.settings({ codeTtlSeconds: 5 });
    const code = await codeFor(running);
    running.control.advanceClock(5000);
    expect((await exchange(code)).status).toBe(400);
  });

  it("refuses a code sent with another redirect_uri", async () => {
    const res = await exchange(await codeFor(running), { redirect_uri: `${APP.callbackUrl}/` });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe("invalid_request");
  });

  it("answers 401 access_denied for a wrong secret, an unknown client, and a missing secret (PKCE only)", async () => {
    const code = await codeFor(running);
    const extras: Record<string, string>[] = [
      { client_secret: "wrong" },
      { client_id: "nobody" },
      { client_secret: "", code_verifier: "x" },
    ];
    for (const extra of extras) {
      const res = await exchange(code, extra);
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).toContain("application/json");
      expect(await res.json()).toEqual({ error: "access_denied", error_description: "Unauthorized" });
    }
    // A wrong secret must not burn the code of the real client.
    expect((await exchange(code)).status).toBe(200);
  });

  it("checks S256 PKCE when pkce is verify, and ignores it when accept", async () => {
    const verifier = oauth.generateRandomCodeVerifier();
    const challenge = await oauth.calculatePKCECodeChallenge(verifier);
    const pkceParams = { code_challenge: challenge, code_challenge_method: "S256" };

    expect(
      (await exchange(await codeFor(running, DEMO_IDS.ada, pkceParams), { code_verifier: "wrong" })).status,
    ).toBe(200);

    running.control.settings({ pkce: "verify" });
    expect(
      (await exchange(await codeFor(running, DEMO_IDS.ada, pkceParams), { code_verifier: "wrong" })).status,
    ).toBe(400);
    expect((await exchange(await codeFor(running, DEMO_IDS.ada, pkceParams))).status).toBe(400);
    expect(
      (await exchange(await codeFor(running, DEMO_IDS.ada, pkceParams), { code_verifier: verifier })).status,
    ).toBe(200);
  });

  it("refuses an unsupported grant type and an unreadable body", async () => {
    expect((await exchange("x", { grant_type: "client_credentials" })).status).toBe(400);
    const res = await fetch(`${running.authUrl}/oauth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{not json",
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/json");
  });
});

describe("logging", () => {
  it("writes nothing, so no secret, code or token can reach a log", async () => {
    const written: string[] = [];
    const capture = (...args: unknown[]) => {
      written.push(args.map(String).join(" "));
      return true;
    };
    const spies = [
      vi.spyOn(process.stdout, "write").mockImplementation(capture),
      vi.spyOn(process.stderr, "write").mockImplementation(capture),
      ...(["log", "info", "warn", "error", "debug"] as const).map((m) =>
        vi.spyOn(console, m).mockImplementation(capture),
      ),
    ];
    try {
      const tokens = await signIn(running);
      await bearer(running, "/me", tokens.access_token);
      await postToken(running, {
        grant_type: "authorization_code",
        client_id: APP.clientId,
        client_secret: "bad",
        code: "x",
      });
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(written).toEqual([]);
  });
});
