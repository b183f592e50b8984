import { DEMO_IDS } from "@foyer/atlassian-emulator";
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
import { createTestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe.each(DB_KINDS)("OAuth callback security (%s)", (kind) => {
  let foyer: EmulatedFoyer;
  let a: { id: string };
  let b: { id: string };
  const app = "https://app.example.com";

  beforeAll(async () => {
    foyer = await createEmulatedFoyer(kind);
    a = await createTestInstance(foyer, { name: "A" });
    b = await createTestInstance(foyer, { name: "B" });
    await foyer.platform(`/instances/${a.id}`, { method: "PATCH", json: { allowed_origins: [app] } });
  });
  afterAll(() => foyer.close());

  const count = async (table: "users" | "sessions" | "external_accounts") =>
    Number(
      (
        await foyer.svc.db.kysely
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const exchanges = () => foyer.emulator.control.counters().codeExchanges;

  /** A started flow, consented at Atlassian, whose callback has not been delivered yet. */
  async function pendingCallback(instanceId = a.id, accountId: string = DEMO_IDS.grace) {
    const jar = new CookieJar();
    const authorizeUrl = await startSignIn(foyer, jar, instanceId);
    const callbackUrl = await consentAt(foyer, authorizeUrl, { accountId, cloudId: DEMO_IDS.acme });
    return { jar, callbackUrl };
  }

  async function expectRefused(res: Response) {
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
    expect(await res.text()).toContain('data-error-code="oauth_state_invalid"');
  }

  it("refuses missing, forged, reused, expired and foreign-browser state before calling Atlassian", async () => {
    const before = { users: await count("users"), exchanges: exchanges() };
    const { jar, callbackUrl } = await pendingCallback();
    const url = new URL(callbackUrl);

    const noState = new URL(url);
    noState.searchParams.delete("state");
    await expectRefused(await browserRequest(foyer, jar, noState.href));

    const forged = new URL(url);
    forged.searchParams.set("state", "forged-state-value-0000000000000000000000000");
    await expectRefused(await browserRequest(foyer, jar, forged.href));

    // Another browser (no binding cookie, or its own) cannot complete this browser's flow.
    const otherJar = new CookieJar();
    await startSignIn(foyer, otherJar, a.id);
    await expectRefused(await browserRequest(foyer, otherJar, callbackUrl));
    await expectRefused(await browserRequest(foyer, new CookieJar(), callbackUrl));
    expect(exchanges()).toBe(before.exchanges);

    // The rightful browser still completes, once.
    const ok = await browserRequest(foyer, jar, callbackUrl);
    expect(ok.status).toBe(303);
    await expectRefused(await browserRequest(foyer, jar, callbackUrl));
    expect(exchanges()).toBe(before.exchanges + 1);
    expect(await count("users")).toBe(before.users + 1);

    const late = await pendingCallback();
    foyer.advance(10 * 60 * 1000 + 1);
    try {
      await expectRefused(await browserRequest(foyer, late.jar, late.callbackUrl));
    } finally {
      foyer.advance(-(10 * 60 * 1000 + 1));
    }
    expect(exchanges()).toBe(before.exchanges + 1);
  });

  it("makes one user, one session and at most one code exchange from ten parallel callbacks", async () => {
    const before = { users: await count("users"), sessions: await count("sessions"), exchanges: exchanges() };
    const { jar, callbackUrl } = await pendingCallback(a.id, DEMO_IDS.ada);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => browserRequest(foyer, jar, callbackUrl)),
    );
    expect(results.filter((r) => r.status === 303)).toHaveLength(1);
    expect(results.filter((r) => r.status === 400)).toHaveLength(9);
    expect(await count("users")).toBe(before.users + 1);
    expect(await count("sessions")).toBe(before.sessions + 1);
    expect(exchanges()).toBe(before.exchanges + 1);
  });

  it("never completes a flow started on one development instance on another sharing the callback", async () => {
    foyer.emulator.control.upsertAccount({
      accountId: "557058:b-user",
      name: "Bea",
      siteIds: [DEMO_IDS.acme],
    });
    const { jar, callbackUrl } = await pendingCallback(b.id, "557058:b-user");
    // b's flow arrives at the shared callback: it completes on b, whatever else the browser holds.
    const res = await browserRequest(foyer, jar, callbackUrl);
    expect(res.headers.get("location")).toContain(`/fapi/${b.id}/`);
    // b's state presented on a's own callback URL is refused.
    const second = await pendingCallback(b.id, DEMO_IDS.grace);
    const onA = new URL(second.callbackUrl);
    onA.pathname = `/fapi/${a.id}/v1/oauth_callback`;
    const refused = await browserRequest(foyer, second.jar, onA.href);
    expect(refused.status).toBe(400);
    const aUsers = await foyer.svc.db.kysely
      .selectFrom("external_accounts")
      .select("instance_id")
      .where("provider_user_id", "=", "557058:b-user")
      .execute();
    expect(aUsers.map((r) => r.instance_id)).toEqual([b.id]);
  });

  it("refuses redirect URLs outside the allowed origins, up front", async () => {
    const attempts = [
      "https://evil.example.net/",
      "https://app.example.com.evil.net/",
      "https://app.example.com@evil.net/",
      "javascript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "//evil.example.net/",
      "http://app.example.com/",
      "/relative",
    ];
    for (const redirect_url of attempts) {
      const res = await foyer.request(`/fapi/${a.id}/v1/client/sign_ins`, {
        method: "POST",
        json: { strategy: "oauth_atlassian", redirect_url },
      });
      expect(res.status, redirect_url).toBe(400);
      expect((await res.json()).errors[0].code).toBe("redirect_url_not_allowed");
      const page = await foyer.request(
        `/fapi/${a.id}/sign-in?redirect_url=${encodeURIComponent(redirect_url)}`,
      );
      expect(page.status).toBe(400);
      const html = await page.text();
      expect(html).not.toContain('name="redirect_url"');
      expect(html).not.toContain("Continue with Atlassian");
    }
    const ok = await foyer.request(`/fapi/${a.id}/v1/client/sign_ins`, {
      method: "POST",
      json: { strategy: "oauth_atlassian", redirect_url: `${app}/after?x=1` },
    });
    expect(ok.status).toBe(200);
  });

  it("never hands an existing user to another Atlassian account with the same email", async () => {
    foyer.emulator.control.upsertAccount({
      accountId: "557058:victim",
      name: "Victim",
      email: "shared@example.com",
      emailVerified: true,
      siteIds: [DEMO_IDS.acme],
    });
    foyer.emulator.control.upsertAccount({
      accountId: "557058:attacker",
      name: "Attacker",
      email: "shared@example.com",
      emailVerified: false,
      siteIds: [DEMO_IDS.acme],
    });
    await signInFlow(foyer, new CookieJar(), a.id, { accountId: "557058:victim", cloudId: DEMO_IDS.acme });
    await signInFlow(foyer, new CookieJar(), a.id, { accountId: "557058:attacker", cloudId: DEMO_IDS.acme });
    const rows = await foyer.svc.db.kysely
      .selectFrom("external_accounts")
      .select(["user_id", "provider_user_id", "email_verified"])
      .where("provider_user_id", "in", ["557058:victim", "557058:attacker"])
      .execute();
    expect(rows).toHaveLength(2);
    expect(rows[0]!.user_id).not.toBe(rows[1]!.user_id);
    const attacker = rows.find((r) => r.provider_user_id === "557058:attacker")!;
    expect(attacker.email_verified).toBe(0);
    const email = await foyer.svc.db.kysely
      .selectFrom("email_addresses")
      .select("verified")
      .where("user_id", "=", attacker.user_id)
      .executeTakeFirstOrThrow();
    expect(email.verified).toBe(0);
  });

  it("keeps secrets out of the logs", async () => {
    const { jar, callbackUrl } = await pendingCallback();
    await browserRequest(foyer, jar, callbackUrl);
    const url = new URL(callbackUrl);
    const logs = foyer.logs();
    expect(logs).not.toContain(url.searchParams.get("code")!);
    expect(logs).not.toContain(url.searchParams.get("state")!);
    expect(logs).not.toContain(jar.get("__client")!);
    expect(logs).not.toContain(foyer.platformToken);
  });
});
