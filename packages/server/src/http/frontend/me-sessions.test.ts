import type { SessionWithActivityJSON } from "@foyer/contract";
import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import {
  createTestInstance,
  type SignedIn,
  signInTestUser,
  type TestInstance,
} from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { summariseUserAgent } from "../../sessions/device.js";
import { startSession } from "../../sessions/sessions.js";

const SAFARI_IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";

/**
 * `GET /v1/me/sessions`: the signed-in user's sessions, ended ones too (Clerk's Frontend API
 * path), beside `GET /v1/me/sessions/active`, which lists the live ones only.
 */
describe.each(DB_KINDS)("Frontend API: GET /v1/me/sessions (%s)", (kind) => {
  let foyer: TestFoyer;
  let t: TestInstance;
  const app = "https://app.example.com";

  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
    t = await createTestInstance(foyer, { allowedOrigins: [app] });
  });
  afterAll(() => foyer.close());

  const call = (path: string, cookie: string | undefined, init: RequestInit = {}) =>
    foyer.request(`${t.fapiPath}${path}`, {
      ...init,
      headers: { ...(cookie ? { cookie } : {}), ...(init.headers as Record<string, string>) },
    });
  const list = async (path: string, cookie: string) => {
    const res = await call(path, cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    return (await res.json()).response as SessionWithActivityJSON[];
  };

  /** Another device of the same user: another client, another cookie. */
  async function otherDevice(s: SignedIn): Promise<SignedIn> {
    const { clientToken, client, session } = await startSession(
      foyer.svc,
      t.instance,
      s.user.id,
      summariseUserAgent(SAFARI_IPHONE),
    );
    return {
      ...s,
      sessionId: session.id,
      clientId: client.id,
      clientToken,
      cookie: `__client=${clientToken}`,
    };
  }

  it("lists the user's sessions with ended, revoked and expired ones, newest first, and only theirs", async () => {
    const here = await signInTestUser(foyer, t.instance);
    const revoked = await otherDevice(here);
    const signedOut = await otherDevice(here);
    const expired = await otherDevice(here);
    const stranger = await signInTestUser(foyer, t.instance);

    const revoke = await call(`/v1/me/sessions/${revoked.sessionId}/revoke`, here.cookie, {
      method: "POST",
      headers: { origin: app },
    });
    expect(revoke.status).toBe(200);
    const end = await call(`/v1/client/sessions/${signedOut.sessionId}/end`, signedOut.cookie, {
      method: "POST",
      headers: { origin: app },
    });
    expect(end.status).toBe(200);
    // Past its lifetime: still `active` in the row until a mint writes it down, reported expired.
    await foyer.svc.db.kysely
      .updateTable("sessions")
      .set({ expire_at: foyer.svc.now() - 1 })
      .where("id", "=", expired.sessionId)
      .execute();

    const all = await list("/v1/me/sessions", here.cookie);
    const statusOf = new Map(all.map((s) => [s.id, s.status]));
    expect(Object.fromEntries(statusOf)).toEqual({
      [here.sessionId]: "active",
      [revoked.sessionId]: "revoked",
      [signedOut.sessionId]: "ended",
      [expired.sessionId]: "expired",
    });
    expect(statusOf.has(stranger.sessionId)).toBe(false);
    const created = all.map((s) => s.created_at);
    expect(created).toEqual([...created].sort((a, b) => b - a));
    expect(all.find((s) => s.id === here.sessionId)!.current).toBe(true);
    expect(all.find((s) => s.id === revoked.sessionId)).toMatchObject({
      current: false,
      latest_activity: { browser_name: "Safari", device_type: "iOS", is_mobile: true, ip_address: null },
      user: { id: here.user.id },
    });

    // The live list stays the live ones.
    const active = await list("/v1/me/sessions/active", here.cookie);
    expect(active.map((s) => s.id)).toEqual([here.sessionId]);
  });

  it("needs a live session of this browser", async () => {
    const anonymous = await call("/v1/me/sessions", undefined);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).errors[0].code).toBe("client_not_found");

    const gone = await signInTestUser(foyer, t.instance);
    await call(`/v1/client/sessions/${gone.sessionId}/end`, gone.cookie, {
      method: "POST",
      headers: { origin: app },
    });
    const ended = await call("/v1/me/sessions", gone.cookie);
    expect(ended.status).toBe(401);
    expect((await ended.json()).errors[0].code).toBe("session_inactive");
  });
});
