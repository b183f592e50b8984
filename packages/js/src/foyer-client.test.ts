import { Foyer, type FoyerState } from "@foyer/js";
import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import {
  createTestInstance,
  type SignedIn,
  signInTestUser,
  type TestInstance,
} from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * @foyer/js outside a browser: its fetch option is given a small cookie jar in front of the real
 * app, standing where the browser's cookie store stands. Real-browser behaviour (cookies on the
 * app's domain, navigator.locks, the redirect flow) is in the browser test.
 */
const APP = "https://app.example.com";

function browserFetch(foyer: TestFoyer, signedIn: SignedIn, log: string[]): typeof fetch {
  const jar = new Map<string, string>([["__client", signedIn.clientToken]]);
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    if (jar.size) headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
    headers.set("origin", APP);
    const req = new Request(input, { ...init, headers });
    log.push(`${req.method} ${new URL(req.url).pathname.replace(/^\/fapi\/[^/]+/, "")}`);
    const res = await foyer.app.fetch(req);
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const [name, value] = pair!.split("=") as [string, string];
      if (/max-age=0/i.test(line) || value === "") jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  };
}

describe.each(DB_KINDS)("@foyer/js against a real Frontend API (%s)", (kind) => {
  let foyer: TestFoyer;
  let t: TestInstance;

  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
    t = await createTestInstance(foyer, { allowedOrigins: [APP] });
  });
  afterAll(() => foyer.close());

  async function loaded(opts: { refreshLeewayMs?: number } = {}) {
    const signedIn = await signInTestUser(foyer, t.instance);
    const log: string[] = [];
    const sdk = new Foyer(t.publishableKey, { fetch: browserFetch(foyer, signedIn, log), ...opts });
    await sdk.load();
    return { sdk, signedIn, log };
  }

  it("finds the Frontend API in the publishable key and loads the user and session", async () => {
    const { sdk, signedIn, log } = await loaded();
    expect(sdk.frontendApi).toBe(t.instance.frontend_api_url);
    expect(sdk.user).toMatchObject({ id: signedIn.user.id, first_name: "Ada" });
    expect(sdk.session).toMatchObject({ id: signedIn.sessionId, status: "active" });
    // load() mints the first token at once (for the __session cookie).
    expect(log).toEqual(["GET /v1/client", `POST /v1/client/sessions/${signedIn.sessionId}/tokens`]);
    sdk.destroy();
  });

  it("caches the token, shares one mint between concurrent callers, and mints again near expiry", async () => {
    const { sdk, signedIn, log } = await loaded({ refreshLeewayMs: 58_500 });
    const mints = () => log.filter((l) => l.endsWith("/tokens")).length;
    const first = await sdk.session!.getToken();
    expect(mints()).toBe(1);
    const [x, y] = await Promise.all([sdk.session!.getToken(), sdk.session!.getToken()]);
    expect(x).toBe(first);
    expect(y).toBe(first);
    expect(mints()).toBe(1);
    // 60 s tokens, refreshed 58.5 s before exp: after ~1.5 s the next call mints a new one.
    // (The SDK's own refresh timer may mint in the meantime too: that is what keeps __session fresh.)
    await new Promise((r) => setTimeout(r, 2100));
    const before = mints();
    const [p, q] = await Promise.all([sdk.session!.getToken(), sdk.session!.getToken()]);
    expect(mints() - before).toBeLessThanOrEqual(1);
    expect(p).not.toBe(first);
    expect(q).toBe(p);
    const claims = JSON.parse(Buffer.from(p!.split(".")[1]!, "base64url").toString());
    expect(claims).toMatchObject({ sid: signedIn.sessionId, azp: APP });
    sdk.destroy();
  });

  it("hands a token minted in one tab to the others (BroadcastChannel)", async () => {
    const signedIn = await signInTestUser(foyer, t.instance);
    const logA: string[] = [];
    const logB: string[] = [];
    const tabA = new Foyer(t.publishableKey, { fetch: browserFetch(foyer, signedIn, logA) });
    const tabB = new Foyer(t.publishableKey, { fetch: browserFetch(foyer, signedIn, logB) });
    await tabA.load();
    await new Promise((r) => setTimeout(r, 50));
    // Tab B loads after tab A minted: it reuses A's token instead of minting its own.
    await tabB.load();
    expect(await tabB.session!.getToken()).toBe(await tabA.session!.getToken());
    expect(logA.filter((l) => l.endsWith("/tokens"))).toHaveLength(1);
    expect(logB.filter((l) => l.endsWith("/tokens"))).toHaveLength(0);
    tabA.destroy();
    tabB.destroy();
  });

  it("signs out: listeners hear it, getToken answers null, the server mints nothing more", async () => {
    const { sdk, signedIn } = await loaded();
    const states: FoyerState[] = [];
    sdk.addListener((s) => states.push(s));
    const session = sdk.session!;
    await sdk.signOut();
    expect(sdk.session).toBeNull();
    expect(sdk.user).toBeNull();
    expect(states.at(-1)).toMatchObject({ session: null, user: null, client: null });
    expect(await session.getToken()).toBeNull();
    const row = await foyer.svc.db.kysely
      .selectFrom("sessions")
      .select("status")
      .where("id", "=", signedIn.sessionId)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("ended");
    sdk.destroy();
  });

  it("notices a revocation at the next mint and reports signed out", async () => {
    const { sdk, signedIn } = await loaded({ refreshLeewayMs: 60_000 });
    await foyer.request(`/v1/sessions/${signedIn.sessionId}/revoke`, {
      method: "POST",
      headers: { authorization: `Bearer ${t.secretKey}` },
    });
    const states: FoyerState[] = [];
    sdk.addListener((s) => states.push(s));
    expect(await sdk.session!.getToken()).toBeNull();
    expect(sdk.session).toBeNull();
    expect(states.at(-1)?.session).toBeNull();
    sdk.destroy();
  });

  it("keeps refreshing after a failed background mint, so a later revocation is heard unasked", async () => {
    const signedIn = await signInTestUser(foyer, t.instance);
    const inner = browserFetch(foyer, signedIn, []);
    let failNextMint = false;
    const fetchImpl: typeof fetch = async (input, init) => {
      if (failNextMint && String(input).endsWith("/tokens")) {
        failNextMint = false;
        // The session is revoked while this tab's mint fails on the network.
        await foyer.request(`/v1/sessions/${signedIn.sessionId}/revoke`, {
          method: "POST",
          headers: { authorization: `Bearer ${t.secretKey}` },
        });
        throw new TypeError("network down");
      }
      return inner(input, init);
    };
    // 60 s tokens refreshed 59 s early: the background mint runs about a second after load.
    const sdk = new Foyer(t.publishableKey, { fetch: fetchImpl, refreshLeewayMs: 59_000 });
    await sdk.load();
    const states: FoyerState[] = [];
    sdk.addListener((s) => states.push(s));
    failNextMint = true;
    const deadline = Date.now() + 8_000;
    while (states.at(-1)?.session !== null && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(failNextMint).toBe(false);
    expect(states.at(-1)?.session).toBeNull();
    expect(sdk.session).toBeNull();
    sdk.destroy();
  });

  it("refuses a string that is not a publishable key", () => {
    expect(() => new Foyer("sk_test_abc")).toThrow(/publishable key/);
    expect(() => new Foyer(`pk_test_${btoa("javascript:alert(1)$").replace(/=+$/, "")}`)).toThrow();
  });
});

describe.each(DB_KINDS)("@foyer/js user.getSessions (%s)", (kind) => {
  let foyer: TestFoyer;
  let t: TestInstance;

  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
    t = await createTestInstance(foyer, { allowedOrigins: [APP] });
  });
  afterAll(() => foyer.close());

  it("lists the live sessions, and with includeEnded the ended ones too", async () => {
    const here = await signInTestUser(foyer, t.instance);
    const before = await signInTestUser(foyer, t.instance, here.user);
    await foyer.svc.db.kysely
      .updateTable("sessions")
      .set({ status: "ended", ended_at: foyer.svc.now() })
      .where("id", "=", before.sessionId)
      .execute();
    const log: string[] = [];
    const sdk = new Foyer(t.publishableKey, { fetch: browserFetch(foyer, here, log) });
    await sdk.load();
    const live = await sdk.user!.getSessions();
    expect(live.map((s) => s.id)).toEqual([here.sessionId]);
    const all = await sdk.user!.getSessions({ includeEnded: true });
    expect(Object.fromEntries(all.map((s) => [s.id, s.status]))).toEqual({
      [here.sessionId]: "active",
      [before.sessionId]: "ended",
    });
    expect(log).toEqual(expect.arrayContaining(["GET /v1/me/sessions/active", "GET /v1/me/sessions"]));
    sdk.destroy();
  });
});

describe.each(DB_KINDS)("@foyer/js connect.atlassian (%s)", (kind) => {
  let foyer: TestFoyer;
  let t: TestInstance;

  beforeAll(async () => {
    // Shared credentials make the connection usable; the flow stops at Atlassian's URL here.
    foyer = await createTestFoyer(kind, {
      atlassian: { shared: { clientId: "shared-id", clientSecret: "s" } },
    });
    t = await createTestInstance(foyer, { allowedOrigins: [APP] });
  });
  afterAll(() => foyer.close());

  it("starts a connect for the signed-in user with more scopes, bound to their session", async () => {
    const signedIn = await signInTestUser(foyer, t.instance);
    const log: string[] = [];
    const sdk = new Foyer(t.publishableKey, { fetch: browserFetch(foyer, signedIn, log) });
    await sdk.load();
    const url = new URL(
      await sdk.connect.atlassian({
        additionalScopes: ["read:jira-work"],
        redirectUrl: `${APP}/settings`,
        navigate: false,
      }),
    );
    expect(url.searchParams.get("scope")).toBe("read:me read:jira-user offline_access read:jira-work");
    expect(url.searchParams.get("client_id")).toBe("shared-id");
    expect(log).toContain("POST /v1/me/external_accounts");
    const tx = await foyer.svc.db.kysely
      .selectFrom("oauth_transactions")
      .selectAll()
      .where("purpose", "=", "connect")
      .executeTakeFirstOrThrow();
    expect(tx).toMatchObject({
      user_id: signedIn.user.id,
      session_id: signedIn.sessionId,
      redirect_url: `${APP}/settings`,
    });
    sdk.destroy();
  });

  it("sends the external account a connect is for: one that is not the user's is refused", async () => {
    const signedIn = await signInTestUser(foyer, t.instance);
    const sdk = new Foyer(t.publishableKey, { fetch: browserFetch(foyer, signedIn, []) });
    await sdk.load();
    await expect(
      sdk.connect.atlassian({ navigate: false, redirectUrl: `${APP}/`, externalAccountId: "eac_not_hers" }),
    ).rejects.toMatchObject({ code: "resource_not_found" });
    sdk.destroy();
  });

  it("answers a signed-out browser with the API's code", async () => {
    const signedIn = await signInTestUser(foyer, t.instance);
    const sdk = new Foyer(t.publishableKey, { fetch: browserFetch(foyer, signedIn, []) });
    await sdk.load();
    await sdk.signOut();
    // Signing out dropped the client cookie: there is no user to connect Atlassian to.
    await expect(sdk.connect.atlassian({ navigate: false, redirectUrl: `${APP}/` })).rejects.toMatchObject({
      code: "client_not_found",
    });
    sdk.destroy();
  });
});
