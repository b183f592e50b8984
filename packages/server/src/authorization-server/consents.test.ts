/**
 * The user's side of the authorization server: sign-in at the interaction, consent shown for a
 * client the user has not approved (and not again once approved), Deny, the consent form's CSRF
 * token, the approvals list and its revocation, and a stopped user's refresh refused.
 */

import { CLIENT_COOKIE } from "@foyer/contract";
import {
  browserFetch,
  codeFlow,
  exchangeCode,
  signedInBrowser,
  tokenRequest,
} from "@foyer/testkit/authorization-server";
import { DB_KINDS } from "@foyer/testkit/databases";
import { CookieJar, createEmulatedFoyer, type EmulatedFoyer } from "@foyer/testkit/emulated-foyer";
import { createTestInstance, signInTestUser, type TestInstance } from "@foyer/testkit/instances";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setUserRestriction } from "../users/restrictions.js";

describe.each(DB_KINDS)("consent at the authorization server (%s)", (kind) => {
  let foyer: EmulatedFoyer;
  let t: TestInstance;
  beforeAll(async () => {
    foyer = await createEmulatedFoyer(kind, { listen: true });
    t = await createTestInstance(foyer);
  });
  afterAll(() => foyer.close());

  it("sends a browser without a Foyer session to the hosted sign-in page, which comes back to the interaction", async () => {
    const flow = await codeFlow(foyer, t, { jar: new CookieJar() });
    expect(flow.outcome.callback).toBeUndefined();
    const signIn = new URL(flow.outcome.last.url);
    expect(signIn.pathname).toBe(`${t.fapiPath}/sign-in`);
    const back = new URL(signIn.searchParams.get("redirect_url")!);
    expect(back.href).toMatch(
      new RegExp(`^${t.instance.frontend_api_url}/oauth/interaction/[A-Za-z0-9_-]+$`),
    );
    // The hosted page accepts that way back (it would refuse a foreign redirect_url).
    expect(flow.outcome.last.status).toBe(200);
    expect(flow.outcome.lastBody).not.toContain("redirect_url_not_allowed");
  });

  it("shows consent for a client the user has not approved, and not again for an approved one", async () => {
    const { clientToken } = await signInTestUser(foyer, t.instance);
    const first = await codeFlow(foyer, t, { clientToken });
    expect(first.outcome.consentPages).toHaveLength(1);
    expect(first.outcome.callback?.searchParams.get("code")).toBeTruthy();
    const again = await codeFlow(foyer, t, { client: first.client, jar: first.jar });
    expect(again.outcome.consentPages).toHaveLength(0);
    expect(again.outcome.callback?.searchParams.get("code")).toBeTruthy();
    // A wider request needs consent again; another client needs its own.
    const wider = await codeFlow(foyer, t, {
      client: first.client,
      jar: first.jar,
      scope: "openid profile email",
    });
    expect(wider.outcome.consentPages).toHaveLength(1);
    const other = await codeFlow(foyer, t, { jar: first.jar });
    expect(other.outcome.consentPages).toHaveLength(1);
    // A new browser session of the same user (the provider's own session gone) remembers it too.
    const fresh = await codeFlow(foyer, t, { client: first.client, clientToken });
    expect(fresh.outcome.consentPages).toHaveLength(0);
  });

  it("follows Foyer's session, not the provider's: another user in the same browser is asked and gets their own tokens", async () => {
    const ada = await signInTestUser(foyer, t.instance);
    const first = await codeFlow(foyer, t, { clientToken: ada.clientToken });
    expect(first.outcome.consentPages).toHaveLength(1);
    const adaTokens = await exchangeCode(t, first);
    // The browser now holds another user's Foyer session (Ada signed out, Grace signed in).
    const grace = await signInTestUser(foyer, t.instance);
    first.jar.set(CLIENT_COOKIE, grace.clientToken, t.fapiPath);
    const second = await codeFlow(foyer, t, { client: first.client, jar: first.jar });
    expect(second.outcome.consentPages).toHaveLength(1);
    const tokens = await exchangeCode(t, second);
    expect(decodeJwt(tokens.body.id_token as string).sub).toBe(grace.user.id);
    // Ada's approval and tokens are hers to keep: Grace signing in here ended nothing of Ada's.
    const adaRefresh = await tokenRequest(t.instance.frontend_api_url, first.client, {
      grant_type: "refresh_token",
      refresh_token: adaTokens.body.refresh_token as string,
    });
    expect(adaRefresh.status).toBe(200);
    // Signed out of Foyer altogether: back to the sign-in page, however fresh the provider's session.
    first.jar.set(CLIENT_COOKIE, "signed-out", t.fapiPath);
    const third = await codeFlow(foyer, t, { client: first.client, jar: first.jar });
    expect(third.outcome.callback).toBeUndefined();
    expect(new URL(third.outcome.last.url).pathname).toBe(`${t.fapiPath}/sign-in`);
  });

  it("ends with access_denied when the user denies", async () => {
    const { clientToken } = await signInTestUser(foyer, t.instance);
    const flow = await codeFlow(foyer, t, { clientToken, decision: "deny" });
    expect(flow.outcome.callback?.searchParams.get("error")).toBe("access_denied");
  });

  it("refuses a consent form without the page's token, or posted from another site", async () => {
    const { clientToken } = await signInTestUser(foyer, t.instance);
    const flow = await codeFlow(foyer, t, { clientToken, decision: "stop" });
    expect(flow.outcome.consentPages).toHaveLength(1);
    const page = flow.outcome.consentPages[0]!;
    const confirm = new URL(/action="([^"]*\/confirm)"/.exec(page)![1]!, t.instance.frontend_api_url).href;
    const token = /name="form_token" value="([^"]+)"/.exec(page)![1]!;
    const post = (origin: string, formToken: string) =>
      browserFetch(flow.jar, confirm, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin },
        body: new URLSearchParams({ form_token: formToken }).toString(),
      });
    const own = new URL(confirm).origin;
    expect((await post(own, "forged")).status).toBe(400);
    expect((await post(own, `${token.slice(0, -2)}xx`)).status).toBe(400);
    expect((await post("https://evil.example", token)).status).toBe(403);
    // The interaction is still open: the page's own token approves it.
    const ok = await post(own, token);
    expect(ok.status).toBe(303);
  });

  it("lists the user's approvals and withdraws one: its refresh token dies", async () => {
    const s = await signInTestUser(foyer, t.instance);
    const flow = await codeFlow(foyer, t, { clientToken: s.clientToken });
    const tokens = await exchangeCode(t, flow);
    expect(tokens.status).toBe(200);
    const list = await fetch(`${t.instance.frontend_api_url}/v1/me/oauth_consents`, {
      headers: { cookie: s.cookie },
    });
    const body = await list.json();
    expect(body.response).toEqual([
      expect.objectContaining({
        client_id: flow.client.client_id,
        client_name: "Test client",
        scopes: ["openid", "profile"],
      }),
    ]);
    const del = await fetch(
      `${t.instance.frontend_api_url}/v1/me/oauth_consents/${encodeURIComponent(flow.client.client_id)}`,
      {
        method: "DELETE",
        headers: { cookie: s.cookie, origin: new URL(t.instance.frontend_api_url).origin },
      },
    );
    expect(del.status).toBe(200);
    const refresh = await tokenRequest(t.instance.frontend_api_url, flow.client, {
      grant_type: "refresh_token",
      refresh_token: tokens.body.refresh_token as string,
    });
    expect(refresh.body.error).toBe("invalid_grant");
    const after = await (
      await fetch(`${t.instance.frontend_api_url}/v1/me/oauth_consents`, { headers: { cookie: s.cookie } })
    ).json();
    expect(after.response).toEqual([]);
    // And consent is asked again.
    const back = await codeFlow(foyer, t, { client: flow.client, clientToken: s.clientToken });
    expect(back.outcome.consentPages).toHaveLength(1);
  });

  it("revokes one grant on the Platform API: its refresh token dies, the user's other grant stays", async () => {
    const s = await signInTestUser(foyer, t.instance);
    const first = await codeFlow(foyer, t, { clientToken: s.clientToken });
    const firstTokens = await exchangeCode(t, first);
    const second = await codeFlow(foyer, t, { jar: first.jar });
    const secondTokens = await exchangeCode(t, second);
    const grants = (await (await foyer.platform(`/instances/${t.id}/oauth_grants`)).json()).data as Array<{
      grant_id: string;
      client_id: string;
    }>;
    const grant = grants.find((g) => g.client_id === first.client.client_id)!;
    const del = await foyer.platform(`/instances/${t.id}/oauth_grants/${grant.grant_id}`, {
      method: "DELETE",
    });
    expect(await del.json()).toEqual({ object: "oauth_grant", id: grant.grant_id, deleted: true });
    const refresh = (client: typeof first.client, token: unknown) =>
      tokenRequest(t.instance.frontend_api_url, client, {
        grant_type: "refresh_token",
        refresh_token: token as string,
      });
    expect((await refresh(first.client, firstTokens.body.refresh_token)).body.error).toBe("invalid_grant");
    expect((await refresh(second.client, secondTokens.body.refresh_token)).status).toBe(200);
    const again = await foyer.platform(`/instances/${t.id}/oauth_grants/${grant.grant_id}`, {
      method: "DELETE",
    });
    expect(again.status).toBe(404);
  });

  it("refuses a banned user's refresh, and a locked user at the interaction", async () => {
    const s = await signInTestUser(foyer, t.instance);
    const flow = await codeFlow(foyer, t, { clientToken: s.clientToken });
    const tokens = await exchangeCode(t, flow);
    await setUserRestriction(foyer.svc, t.id, s.user.id, "banned", true);
    const refresh = await tokenRequest(t.instance.frontend_api_url, flow.client, {
      grant_type: "refresh_token",
      refresh_token: tokens.body.refresh_token as string,
    });
    expect(refresh.body.error).toBe("invalid_grant");

    const locked = await signInTestUser(foyer, t.instance);
    const jar = signedInBrowser(t, locked.clientToken);
    await setUserRestriction(foyer.svc, t.id, locked.user.id, "locked", true);
    const refused = await codeFlow(foyer, t, { jar });
    // Locking ended the session: the browser is sent to sign in, and no code is issued.
    expect(refused.outcome.callback?.searchParams.get("code") ?? null).toBeNull();
  });
});
