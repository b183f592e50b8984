/**
 * Back-off against a failing token endpoint: a hanging Atlassian or one answering a 200 HTML page
 * costs one call per account, not one per request; callers waiting out the back-off get their
 * answer at once, with Retry-After; and once Atlassian is back the grants refresh again with no
 * restart. Foyer's clock is held still (moved only by the test) so the back-off windows do not
 * depend on how fast a loaded machine runs the waves.
 */
import { DB_KINDS } from "@foyer/testkit/databases";
import { type GrantSuite, startGrantSuite } from "@foyer/testkit/grant-suite";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { MAX_BACKOFF_SECONDS } from "./refresh-lease.js";

/** Foyer's timeout for Atlassian; long enough that an answer not waiting for it is told apart under load. */
const TIMEOUT_MS = 3_000;
const ACCOUNTS = 5;
const REQUESTS = 50;

describe.each(DB_KINDS)("back-off when Atlassian's token endpoint fails (%s)", (kind) => {
  let s: GrantSuite;
  let clock = Date.now();
  /** Calls Foyer made to the token endpoint, counted as they are sent. */
  let tokenCalls = 0;
  beforeAll(async () => {
    s = await startGrantSuite(kind, { atlassian: { timeoutMs: TIMEOUT_MS }, foyer: { now: () => clock } });
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, "fetch").mockImplementation((input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url === `${s.te.emulator.authUrl}/oauth/token`) tokenCalls++;
      return realFetch(input, init);
    });
  });
  afterEach(() => s.te.emulator.control.clearFaults());
  afterAll(async () => {
    vi.restoreAllMocks();
    await s?.close();
  });

  /** Users whose stored access tokens have expired on Foyer's clock. */
  async function expiredUsers(): Promise<Array<{ userId: string; externalAccountId: string }>> {
    const users = [];
    for (let i = 0; i < ACCOUNTS; i++) users.push(await s.seed());
    await s.foyer.svc.db.kysely
      .updateTable("external_accounts")
      .set({ access_token_expires_at: clock - 1000 })
      .where(
        "id",
        "in",
        users.map((u) => u.externalAccountId),
      )
      .execute();
    return users;
  }

  /** REQUESTS concurrent reads spread over the users; status, code, Retry-After and time of each. */
  async function wave(users: Array<{ userId: string }>) {
    return Promise.all(
      Array.from({ length: REQUESTS }, async (_, i) => {
        const started = performance.now();
        const res = await s.getToken(users[i % users.length]!.userId);
        const body = await res.json();
        return {
          status: res.status,
          code: res.status === 200 ? "ok" : (body.errors[0].code as string),
          retryAfter: Number(res.headers.get("retry-after")),
          ms: performance.now() - started,
        };
      }),
    );
  }

  async function recovers(users: Array<{ userId: string; externalAccountId: string }>) {
    s.te.emulator.control.clearFaults();
    clock += MAX_BACKOFF_SECONDS * 1000 + 1000;
    for (const u of users) {
      const res = await s.getToken(u.userId);
      expect(res.status).toBe(200);
      expect(await s.worksAtAtlassian((await res.json())[0].token)).toBe(true);
      expect(await s.row(u.externalAccountId)).toMatchObject({
        status: "active",
        refresh_failures: 0,
        last_refresh_error: null,
        refresh_intent_at: null,
      });
    }
  }

  it("a hanging token endpoint: one call per account, then fast 503s with Retry-After, then recovery", async () => {
    const users = await expiredUsers();
    s.te.emulator.control.setFault("token_hang", true);
    tokenCalls = 0;
    const first = await wave(users);
    expect(new Set(first.map((r) => `${r.status} ${r.code}`)), JSON.stringify(first)).toEqual(
      new Set(["503 oauth_provider_unavailable"]),
    );
    expect(first.every((r) => r.retryAfter >= 1)).toBe(true);
    expect(tokenCalls).toBeGreaterThanOrEqual(1);
    expect(tokenCalls, "token endpoint calls").toBeLessThanOrEqual(ACCOUNTS);

    // While backing off: no call at all, and the answer comes without waiting for any timeout.
    const callsBefore = tokenCalls;
    const second = await wave(users);
    expect(tokenCalls, "token endpoint calls while backing off").toBe(callsBefore);
    expect(second.every((r) => r.status === 503 && r.code === "oauth_provider_unavailable")).toBe(true);
    expect(second.every((r) => r.retryAfter >= 1)).toBe(true);
    const times = second.map((r) => r.ms).sort((a, b) => a - b);
    expect(times[Math.floor(times.length / 2)]!, `answer times ${times.map(Math.round)}`).toBeLessThan(
      TIMEOUT_MS / 2,
    );

    // Each account's back-off grows with its consecutive failures.
    clock += MAX_BACKOFF_SECONDS * 1000;
    await wave(users);
    expect(tokenCalls - callsBefore).toBeLessThanOrEqual(ACCOUNTS);
    for (const u of users) {
      const row = await s.row(u.externalAccountId);
      expect(row.last_refresh_error).toBe("oauth_provider_unavailable");
      expect(row.status).toBe("active");
    }

    await recovers(users);
  });

  it("a 200 HTML page for tokens is backed off too: 502 oauth_provider_error with Retry-After", async () => {
    // Past whatever circuit or back-off the previous case left (the clock moves only when told).
    clock += MAX_BACKOFF_SECONDS * 1000 + 1000;
    const users = await expiredUsers();
    s.te.emulator.control.setFault("token_garbage", true);
    tokenCalls = 0;
    const first = await wave(users);
    expect(new Set(first.map((r) => `${r.status} ${r.code}`)), JSON.stringify(first)).toEqual(
      new Set(["502 oauth_provider_error"]),
    );
    expect(first.every((r) => r.retryAfter >= 1)).toBe(true);
    expect(tokenCalls, "token endpoint calls").toBeLessThanOrEqual(ACCOUNTS);

    const callsBefore = tokenCalls;
    const second = await wave(users);
    expect(tokenCalls, "token endpoint calls while backing off").toBe(callsBefore);
    expect(new Set(second.map((r) => `${r.status} ${r.code}`))).toEqual(
      new Set(["502 oauth_provider_error"]),
    );
    expect(second.every((r) => r.retryAfter >= 1)).toBe(true);

    await recovers(users);
  });
});
