import { DEMO_IDS } from "@foyer/atlassian-emulator";
import { signInToDashboard } from "@foyer/testkit/dashboard-client";
import { DB_KINDS } from "@foyer/testkit/databases";
import {
  browserRequest,
  CookieJar,
  consentAt,
  createEmulatedFoyer,
  type EmulatedFoyer,
  signInFlow,
} from "@foyer/testkit/emulated-foyer";
import { createTestInstance, type TestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSession } from "../sessions/sessions.js";

describe.each(DB_KINDS)("banned, locked and deleted users (%s)", (kind) => {
  let foyer: EmulatedFoyer;
  let t: TestInstance;
  const app = "https://app.example.com";

  beforeAll(async () => {
    foyer = await createEmulatedFoyer(kind);
    t = await createTestInstance(foyer, { allowedOrigins: [app] });
  });
  afterAll(() => foyer.close());

  const backend = (path: string, init: RequestInit = {}) =>
    foyer.request(`/v1${path}`, {
      ...init,
      headers: { authorization: `Bearer ${t.secretKey}`, ...init.headers },
    });
  const codeOf = async (res: Response) => (await res.json()).errors[0].code as string;
  const activeSessions = async (userId: string) =>
    (
      await foyer.svc.db.kysely
        .selectFrom("sessions")
        .select("id")
        .where("user_id", "=", userId)
        .where("status", "=", "active")
        .execute()
    ).length;

  /** A browser signed in as `accountId`, its user and session ids. */
  async function signedIn(accountId: string) {
    const jar = new CookieJar();
    const flow = await signInFlow(foyer, jar, t.id, { accountId, cloudId: DEMO_IDS.acme });
    expect(flow.location).not.toContain("error=");
    const client = await (await browserRequest(foyer, jar, `${t.fapiPath}/v1/client`)).json();
    const session = client.response.sessions[0];
    return { jar, userId: session.user.id as string, sessionId: session.id as string };
  }
  const mint = (jar: CookieJar, sessionId: string) =>
    browserRequest(foyer, jar, `${t.fapiPath}/v1/client/sessions/${sessionId}/tokens`, {
      method: "POST",
      headers: { origin: app },
    });
  const atlassianToken = (userId: string) => backend(`/users/${userId}/oauth_access_tokens/oauth_atlassian`);

  for (const [restrict, lift, flag, code] of [
    ["ban", "unban", "banned", "user_banned"],
    ["lock", "unlock", "locked", "user_locked"],
  ] as const) {
    it(`${restrict}: sessions end; sign-in, mint and the token endpoint refuse; ${lift} restores sign-in`, async () => {
      const ada = await signedIn(DEMO_IDS.ada);
      expect((await mint(ada.jar, ada.sessionId)).status).toBe(200);
      expect((await atlassianToken(ada.userId)).status).toBe(200);

      const res = await backend(`/users/${ada.userId}/${restrict}`, { method: "POST" });
      expect(res.status).toBe(200);
      const json = await res.json();
      expect(json).toMatchObject({ object: "user", id: ada.userId, [flag]: true });
      expect((await (await backend(`/users/${ada.userId}`)).json())[flag]).toBe(true);

      expect(await activeSessions(ada.userId)).toBe(0);
      expect((await mint(ada.jar, ada.sessionId)).status).toBe(401);
      const token = await atlassianToken(ada.userId);
      expect(token.status).toBe(403);
      expect(await codeOf(token)).toBe(code);

      // Sign-in: back to the hosted page with the code, no session made.
      const again = new CookieJar();
      const flow = await signInFlow(foyer, again, t.id, { accountId: DEMO_IDS.ada, cloudId: DEMO_IDS.acme });
      expect(flow.location).toContain(`/sign-in?error=${code}`);
      expect(again.get("__client")).toBeUndefined();
      expect(await activeSessions(ada.userId)).toBe(0);
      const page = await browserRequest(foyer, again, flow.location!);
      expect(await page.text()).toContain(`data-error-code="${code}"`);

      const lifted = await backend(`/users/${ada.userId}/${lift}`, { method: "POST" });
      expect((await lifted.json())[flag]).toBe(false);
      const back = await signedIn(DEMO_IDS.ada);
      expect(back.userId).toBe(ada.userId);
      expect((await mint(back.jar, back.sessionId)).status).toBe(200);
      expect((await atlassianToken(ada.userId)).status).toBe(200);
    });
  }

  it("refuses to mint for a session that outlived a ban (a sign-in racing the ban)", async () => {
    const grace = await signedIn(DEMO_IDS.grace);
    // The flag lands without the revocation, as if a sign-in committed its session just after.
    await foyer.svc.db.kysely
      .updateTable("users")
      .set({ banned: 1 })
      .where("id", "=", grace.userId)
      .execute();
    const res = await mint(grace.jar, grace.sessionId);
    expect(res.status).toBe(403);
    expect(await codeOf(res)).toBe("user_banned");
    await foyer.svc.db.kysely
      .updateTable("users")
      .set({ banned: 0 })
      .where("id", "=", grace.userId)
      .execute();
  });

  it("starts no session for a banned user, even when the callback's check came first", async () => {
    const grace = await signedIn(DEMO_IDS.grace);
    await foyer.svc.db.kysely
      .updateTable("users")
      .set({ locked: 1 })
      .where("id", "=", grace.userId)
      .execute();
    await expect(startSession(foyer.svc, t.instance, grace.userId)).rejects.toMatchObject({
      code: "user_locked",
    });
    await foyer.svc.db.kysely
      .updateTable("users")
      .set({ locked: 0 })
      .where("id", "=", grace.userId)
      .execute();
    await expect(startSession(foyer.svc, t.instance, "user_missing")).rejects.toMatchObject({
      code: "resource_not_found",
    });
  });

  it("refuses a connect whose user was banned while the flow was at Atlassian", async () => {
    const grace = await signedIn(DEMO_IDS.grace);
    const start = await browserRequest(foyer, grace.jar, `${t.fapiPath}/v1/me/external_accounts`, {
      method: "POST",
      json: { strategy: "oauth_atlassian", redirect_url: `${app}/settings` },
    });
    const url = (await start.json()).response.verification.external_verification_redirect_url as string;
    const callback = await consentAt(foyer, url, { accountId: DEMO_IDS.grace, cloudId: DEMO_IDS.acme });
    const before = await foyer.svc.db.kysely
      .selectFrom("external_accounts")
      .select("token_version")
      .where("user_id", "=", grace.userId)
      .executeTakeFirstOrThrow();
    await foyer.svc.db.kysely
      .updateTable("users")
      .set({ banned: 1 })
      .where("id", "=", grace.userId)
      .execute();
    const done = await browserRequest(foyer, grace.jar, callback);
    expect(done.headers.get("location")).toBe(`${app}/settings?foyer_error=user_banned`);
    const after = await foyer.svc.db.kysely
      .selectFrom("external_accounts")
      .select("token_version")
      .where("user_id", "=", grace.userId)
      .executeTakeFirstOrThrow();
    expect(after.token_version).toBe(before.token_version);
    await foyer.svc.db.kysely
      .updateTable("users")
      .set({ banned: 0 })
      .where("id", "=", grace.userId)
      .execute();
  });

  it("gives a deleted user nothing: no mint, no connect, no Atlassian token", async () => {
    foyer.emulator.control.upsertAccount({
      accountId: "557058:doomed",
      name: "Doomed",
      siteIds: [DEMO_IDS.acme],
    });
    const doomed = await signedIn("557058:doomed");
    expect((await backend(`/users/${doomed.userId}`, { method: "DELETE" })).status).toBe(200);
    expect([401, 404]).toContain((await mint(doomed.jar, doomed.sessionId)).status);
    const connect = await browserRequest(foyer, doomed.jar, `${t.fapiPath}/v1/me/external_accounts`, {
      method: "POST",
      json: { strategy: "oauth_atlassian" },
    });
    expect(connect.status).toBe(401);
    expect((await atlassianToken(doomed.userId)).status).toBe(404);
    for (const action of ["ban", "unban", "lock", "unlock"]) {
      expect((await backend(`/users/${doomed.userId}/${action}`, { method: "POST" })).status).toBe(404);
    }
  });

  it("bans and unbans from the dashboard's user page (POST forms with the CSRF token)", async () => {
    const ada = await signedIn(DEMO_IDS.ada);
    const dash = await signInToDashboard(foyer);
    const page = `/dashboard/instances/${t.id}/users/${ada.userId}`;
    expect(await dash.html(page)).toContain(`action="${page}/ban"`);
    expect((await dash.post(`${page}/ban`, {}, { csrf: "wrong" })).status).toBe(403);
    expect(await activeSessions(ada.userId)).toBeGreaterThan(0);
    const banned = await dash.post(`${page}/ban`);
    expect(banned.status).toBe(303);
    expect(await activeSessions(ada.userId)).toBe(0);
    const html = await dash.html(page);
    expect(html).toContain("Banned");
    expect(html).toContain(`action="${page}/unban"`);
    expect((await dash.post(`${page}/unban`)).status).toBe(303);
    expect((await dash.post(`${page}/lock`)).status).toBe(303);
    expect(await dash.html(page)).toContain(`action="${page}/unlock"`);
    expect((await dash.post(`${page}/unlock`)).status).toBe(303);
    const user = await (await backend(`/users/${ada.userId}`)).json();
    expect(user).toMatchObject({ banned: false, locked: false });
  });
});
