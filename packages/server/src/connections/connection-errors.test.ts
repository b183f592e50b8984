/**
 * The connection keeps what Atlassian last refused about it, for the operator: a wrong Client
 * Secret at a real sign-in (the emulator answers 401 access_denied, as Atlassian does) and at a
 * token refresh, an error Atlassian sends the user back with. Shown in the Platform API's
 * `last_error` and on the dashboard; cleared by the next success; never the secret itself.
 */
import { DEMO_IDS } from "@foyer/atlassian-emulator";
import { type DashboardClient, signInToDashboard, unescapeHtml } from "@foyer/testkit/dashboard-client";
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
import { createTestInstance, type TestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CLIENT_ID = "custom-connection-errors";
const RIGHT_SECRET = "right-secret-0123456789abcdef";
const WRONG_SECRET = "wrong-secret-9876543210fedcba";

describe.each(DB_KINDS)("connection last_error (%s)", (kind) => {
  let foyer: EmulatedFoyer;
  let dash: DashboardClient;
  let instance: TestInstance;

  beforeAll(async () => {
    foyer = await createEmulatedFoyer(kind);
    dash = await signInToDashboard(foyer);
    instance = await createTestInstance(foyer);
    foyer.emulator.control.upsertApp({
      clientId: CLIENT_ID,
      clientSecret: RIGHT_SECRET,
      name: "Custom app",
      callbackUrl: `${instance.instance.frontend_api_url}/v1/oauth_callback`,
      scopes: ["read:me", "read:jira-user"],
      shared: true,
    });
  });
  afterAll(() => foyer.close());

  const connectionPath = () => `/instances/${instance.id}/social_connections/atlassian`;
  const connection = async () => (await foyer.platform(connectionPath())).json();
  const setSecret = async (secret: string) => {
    const res = await foyer.platform(connectionPath(), {
      method: "PATCH",
      json: { enabled: true, use_custom_credentials: true, client_id: CLIENT_ID, client_secret: secret },
    });
    expect(res.status).toBe(200);
  };
  const signIn = () =>
    signInFlow(foyer, new CookieJar(), instance.id, { accountId: DEMO_IDS.grace, cloudId: DEMO_IDS.acme });

  it("records a wrong Client Secret at sign-in, and clears it after the secret is fixed", async () => {
    await setSecret(WRONG_SECRET);
    expect((await connection()).last_error).toBeNull();

    const failed = await signIn();
    expect(failed.location).toContain("error=oauth_invalid_client");
    const json = await connection();
    expect(json.last_error).toMatchObject({
      code: "invalid_client",
      detail: "code_exchange: access_denied",
      at: expect.any(Number),
    });
    expect(json.last_error.message).toContain("refused the Client ID or Client Secret");
    const page = unescapeHtml(await dash.html(`/dashboard/instances/${instance.id}/sso/atlassian`));
    expect(page).toContain("Atlassian refused this connection");
    expect(page).toContain("Copy both again from your app's Settings");
    for (const text of [
      JSON.stringify(json),
      page,
      await dash.html(`/dashboard/instances/${instance.id}/sso`),
    ]) {
      expect(text).not.toContain(WRONG_SECRET);
    }

    await setSecret(RIGHT_SECRET);
    // Saving alone does not prove the secret right: only Atlassian's acceptance clears it.
    expect((await connection()).last_error?.code).toBe("invalid_client");
    expect(await dash.html(`/dashboard/instances/${instance.id}/sso/atlassian`)).toContain(
      "The settings were saved since",
    );
    const ok = await signIn();
    expect(ok.location).not.toContain("error=");
    expect((await connection()).last_error).toBeNull();
    expect(await dash.html(`/dashboard/instances/${instance.id}/sso/atlassian`)).not.toContain(
      "Atlassian refused this connection",
    );
  });

  it("records a wrong Client Secret at a token refresh, and clears it at the next refresh", async () => {
    await setSecret(RIGHT_SECRET);
    await signIn();
    const user = await foyer.svc.db.kysely
      .selectFrom("external_accounts")
      .select("user_id")
      .where("instance_id", "=", instance.id)
      .executeTakeFirstOrThrow();
    const refresh = () =>
      foyer.request(`/v1/users/${user.user_id}/oauth_access_tokens/oauth_atlassian/refresh`, {
        method: "POST",
        headers: { authorization: `Bearer ${instance.secretKey}` },
      });

    await setSecret(WRONG_SECRET);
    // A forced refresh right after the sign-in reuses the sign-in's token (FORCED_REUSE_MS).
    foyer.advance(60_000);
    const refused = await refresh();
    const body = await refused.json();
    expect(body.errors?.[0]?.code, JSON.stringify(body)).toBe("oauth_invalid_client");
    expect((await connection()).last_error).toMatchObject({
      code: "invalid_client",
      detail: "refresh: access_denied",
    });

    await setSecret(RIGHT_SECRET);
    // The refused refresh opened the client's back-off circuit for a few seconds.
    foyer.advance(60_000);
    expect((await refresh()).status).toBe(200);
    expect((await connection()).last_error).toBeNull();
  });

  it("records an error Atlassian sends the user back with, but not the user's own Cancel", async () => {
    await setSecret(RIGHT_SECRET);
    const back = async (error: string) => {
      const jar = new CookieJar();
      const authorizeUrl = new URL(await startSignIn(foyer, jar, instance.id));
      const callback = new URL(authorizeUrl.searchParams.get("redirect_uri")!);
      callback.searchParams.set("error", error);
      callback.searchParams.set("state", authorizeUrl.searchParams.get("state")!);
      return browserRequest(foyer, jar, callback.href);
    };

    expect((await back("access_denied")).headers.get("location")).toContain("error=oauth_access_denied");
    expect((await connection()).last_error).toBeNull();

    expect((await back("invalid_scope")).headers.get("location")).toContain("error=oauth_provider_error");
    const json = await connection();
    expect(json.last_error).toMatchObject({ code: "authorize_error", detail: "authorize: invalid_scope" });
    expect(json.last_error.message).toContain("Permissions");
  });

  it("records an authorization code Atlassian refused, pointing at the Callback URL", async () => {
    await setSecret(RIGHT_SECRET);
    const jar = new CookieJar();
    const authorizeUrl = await startSignIn(foyer, jar, instance.id);
    const callbackUrl = await consentAt(foyer, authorizeUrl, {
      accountId: DEMO_IDS.grace,
      cloudId: DEMO_IDS.acme,
    });
    // The code dies before it is exchanged: Atlassian answers 400 invalid_request, as for a code
    // minted for another callback.
    foyer.emulator.control.advanceClock(15 * 60_000);
    const res = await browserRequest(foyer, jar, callbackUrl);
    expect(res.headers.get("location")).toContain("error=oauth_code_invalid");
    const json = await connection();
    expect(json.last_error).toMatchObject({
      code: "code_rejected",
      detail: "code_exchange: invalid_request",
    });
    expect(json.last_error.message).toContain(
      `not exactly ${instance.instance.frontend_api_url}/v1/oauth_callback`,
    );
  });
});
