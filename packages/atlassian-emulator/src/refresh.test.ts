import {
  APP,
  bearer,
  DEMO_IDS,
  postToken,
  refreshWith,
  signIn,
  startTestEmulator,
} from "@foyer/testkit/emulator-client";
import * as oauth from "oauth4webapi";
import { afterAll, beforeEach, describe, expect, it } from "vitest";

const running = await startTestEmulator();
afterAll(() => running.close());
beforeEach(() => running.control.reset());

const DAY = 24 * 3600 * 1000;

/** Raw refresh, to read status and body exactly. */
async function rawRefresh(refreshToken: string) {
  const res = await postToken(
    running,
    {
      grant_type: "refresh_token",
      client_id: APP.clientId,
      client_secret: APP.clientSecret,
      refresh_token: refreshToken,
    },
    true,
  );
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

const DEAD = { error: "invalid_grant", error_description: "Unknown or invalid refresh token." };

describe("refresh token rotation", () => {
  it("rotates on every use and the new access token works", async () => {
    const first = await signIn(running);
    const second = await refreshWith(running, first.refresh_token!);
    expect(second.refresh_token).toBeTruthy();
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.scope).toBe("read:me read:jira-work read:jira-user offline_access");
    expect((await bearer(running, "/me", second.access_token)).status).toBe(200);
    const third = await refreshWith(running, second.refresh_token!);
    expect(third.refresh_token).not.toBe(second.refresh_token);
    expect(running.control.counters().refreshes).toBe(2);
  });

  it("tolerates reuse of the previous token within the leeway, with a fresh pair", async () => {
    const first = await signIn(running);
    const second = await refreshWith(running, first.refresh_token!);
    running.control.advanceClock(9 * 60 * 1000);
    const again = await refreshWith(running, first.refresh_token!);
    expect(again.refresh_token).toBeTruthy();
    expect(again.refresh_token).not.toBe(second.refresh_token);
    // The family is still alive: the newest token keeps rotating.
    expect((await refreshWith(running, again.refresh_token!)).refresh_token).toBeTruthy();
  });

  it("revokes the whole family when a rotated token is reused after the leeway", async () => {
    const first = await signIn(running);
    const second = await refreshWith(running, first.refresh_token!);
    running.control.advanceClock(10 * 60 * 1000);
    expect(await rawRefresh(first.refresh_token!)).toEqual({ status: 403, body: DEAD });
    // Breach detection: the newest token of the family is dead too.
    expect(await rawRefresh(second.refresh_token!)).toEqual({ status: 403, body: DEAD });
    expect(running.control.counters().refreshFailures).toBe(2);
  });

  it("with leeway 0 any reuse kills the family at once", async () => {
    running.control.settings({ refreshLeewaySeconds: 0 });
    const first = await signIn(running);
    const second = await refreshWith(running, first.refresh_token!);
    expect((await rawRefresh(first.refresh_token!)).status).toBe(403);
    expect((await rawRefresh(second.refresh_token!)).body).toEqual(DEAD);
  });

  it("answers unauthorized_client for an unknown refresh token, and 401 for a wrong secret", async () => {
    expect(await rawRefresh("garbage")).toEqual({
      status: 403,
      body: { error: "unauthorized_client", error_description: "refresh_token is invalid" },
    });
    const first = await signIn(running);
    const res = await postToken(running, {
      grant_type: "refresh_token",
      client_id: APP.clientId,
      client_secret: "wrong",
      refresh_token: first.refresh_token!,
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "access_denied", error_description: "Unauthorized" });
  });

  it("oauth4webapi sees invalid_grant as a ResponseBodyError with status 403", async () => {
    const first = await signIn(running);
    running.control.revokeGrant(APP.clientId, DEMO_IDS.ada);
    const err = await refreshWith(running, first.refresh_token!).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(oauth.ResponseBodyError);
    expect(err).toMatchObject({ status: 403, error: "invalid_grant" });
  });
});

describe("refresh family expiry", () => {
  it("dies after 90 idle days", async () => {
    const first = await signIn(running);
    running.control.advanceClock(90 * DAY);
    expect(await rawRefresh(first.refresh_token!)).toEqual({ status: 403, body: DEAD });
  });

  it("stays alive while used at least every 90 days, then dies 365 days after consent", async () => {
    let tokens = await signIn(running);
    for (let i = 0; i < 4; i++) {
      running.control.advanceClock(89 * DAY);
      tokens = await refreshWith(running, tokens.refresh_token!);
    }
    // 356 days in; 9 more reach the absolute limit even though the family is in use.
    running.control.advanceClock(9 * DAY);
    expect(await rawRefresh(tokens.refresh_token!)).toEqual({ status: 403, body: DEAD });
  });
});

describe("revocation", () => {
  it("revoking the grant kills access and refresh tokens; a new consent starts a new grant", async () => {
    const tokens = await signIn(running);
    running.control.revokeGrant(APP.clientId, DEMO_IDS.ada);
    expect((await bearer(running, "/me", tokens.access_token)).status).toBe(401);
    expect(await rawRefresh(tokens.refresh_token!)).toEqual({ status: 403, body: DEAD });
    expect(running.control.grants()[0]).toMatchObject({ revoked: true });

    const again = await signIn(running, { cloudId: DEMO_IDS.globex });
    expect((await bearer(running, "/me", again.access_token)).status).toBe(200);
    expect((await bearer(running, "/me", tokens.access_token)).status).toBe(401);
    expect(running.control.grants()[0]).toMatchObject({ revoked: false, cloudIds: [DEMO_IDS.globex] });
  });

  it("a password change kills the account's refresh families but not other accounts'", async () => {
    const ada = await signIn(running);
    const grace = await signIn(running, { accountId: DEMO_IDS.grace });
    running.control.changePassword(DEMO_IDS.ada);
    expect(await rawRefresh(ada.refresh_token!)).toEqual({ status: 403, body: DEAD });
    expect((await rawRefresh(grace.refresh_token!)).status).toBe(200);
  });
});

describe("refresh_without_refresh_token fault", () => {
  it("leaves refresh_token out and keeps the old one current", async () => {
    running.control.settings({ refreshLeewaySeconds: 0 });
    const first = await signIn(running);
    running.control.setFault("refresh_without_refresh_token", { count: 1 });
    const quirky = await rawRefresh(first.refresh_token!);
    expect(quirky.status).toBe(200);
    expect(quirky.body.refresh_token).toBeUndefined();
    expect(quirky.body.access_token).toBeTruthy();
    // Even with no leeway the old token still works: it was never rotated.
    const next = await rawRefresh(first.refresh_token!);
    expect(next.status).toBe(200);
    expect(next.body.refresh_token).toBeTruthy();
  });
});

describe("token_drop_after_rotate fault", () => {
  const refreshBody = (refreshToken: string) =>
    new URLSearchParams({
      grant_type: "refresh_token",
      client_id: APP.clientId,
      client_secret: APP.clientSecret,
      refresh_token: refreshToken,
    });

  it("rotates and counts the refresh, then never answers: the client times out", async () => {
    running.control.settings({ refreshLeewaySeconds: 0 });
    const first = await signIn(running);
    running.control.setFault("token_drop_after_rotate", { count: 1 });
    running.control.resetCounters();
    const lost = await fetch(`${running.authUrl}/oauth/token`, {
      method: "POST",
      body: refreshBody(first.refresh_token!),
      signal: AbortSignal.timeout(300),
    }).catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(Error);
    expect(running.control.counters()).toMatchObject({ refreshes: 1, refreshFailures: 0 });
    // The rotation happened: with no leeway the token the client still holds is dead.
    expect(await rawRefresh(first.refresh_token!)).toEqual({ status: 403, body: DEAD });
  });

  it("a client that waits gets no answer at all: the socket is cut when the hold ends", async () => {
    const first = await signIn(running);
    running.control.setFault("token_drop_after_rotate", true);
    const pending = fetch(`${running.authUrl}/oauth/token`, {
      method: "POST",
      body: refreshBody(first.refresh_token!),
    }).catch((e: unknown) => e);
    const deadline = Date.now() + 5_000;
    while (running.control.counters().refreshes === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    running.control.clearFaults();
    expect(await pending).toBeInstanceOf(Error);
    expect(running.control.counters().refreshes).toBe(1);
  });
});
