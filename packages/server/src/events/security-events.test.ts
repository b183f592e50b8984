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
  startSignIn,
} from "@foyer/testkit/emulated-foyer";
import { createTestInstance, type TestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_INSTANCE, type SecurityEventKind, securityEventCounts } from "./security-events.js";

const IP = "198.51.100.23";

describe.each(DB_KINDS)("security events (%s)", (kind) => {
  let foyer: EmulatedFoyer;
  let a: TestInstance;
  let b: TestInstance;

  beforeAll(async () => {
    foyer = await createEmulatedFoyer(kind, { env: { FOYER_TRUST_PROXY: "1" } });
    a = await createTestInstance(foyer, { name: "A" });
    b = await createTestInstance(foyer, { name: "B" });
  });
  afterAll(() => foyer.close());

  const fromIp = { headers: { "x-forwarded-for": IP } };
  const get = (jar: CookieJar, url: string) => browserRequest(foyer, jar, url, fromIp);

  async function pending(instanceId: string, accountId: string = DEMO_IDS.grace) {
    const jar = new CookieJar();
    const authorizeUrl = await startSignIn(foyer, jar, instanceId);
    return { jar, callbackUrl: await consentAt(foyer, authorizeUrl, { accountId, cloudId: DEMO_IDS.acme }) };
  }

  /** The security lines logged since `mark`, parsed. */
  const linesSince = (mark: number) =>
    foyer
      .logs()
      .slice(mark)
      .split("\n")
      .filter((l) => l.includes('"event":"security"'))
      .map((l) => ({ raw: l, json: JSON.parse(l) }));
  const count = async (instanceId: string, k: SecurityEventKind) =>
    (await securityEventCounts(foyer.svc, instanceId)).find((e) => e.kind === k)?.count ?? 0;

  /** Runs `attempt`, then expects exactly one security line of `k` for `instanceId`, and its count up by one. */
  async function expectEvent(k: SecurityEventKind, instanceId: string, attempt: () => Promise<string[]>) {
    const before = await count(instanceId, k);
    const mark = foyer.logs().length;
    const secrets = await attempt();
    const lines = linesSince(mark);
    expect(lines.map((l) => l.json.kind)).toEqual([k]);
    expect(lines[0]!.json).toMatchObject({ event: "security", kind: k, client_ip: IP });
    expect(lines[0]!.json.instance_id ?? NO_INSTANCE).toBe(instanceId);
    for (const secret of secrets.filter((s) => s.length >= 8)) expect(lines[0]!.raw).not.toContain(secret);
    expect(await count(instanceId, k)).toBe(before + 1);
  }
  const secretsOf = (callbackUrl: string) => {
    const q = new URL(callbackUrl).searchParams;
    return [q.get("state") ?? "", q.get("code") ?? ""];
  };

  it("logs and counts a forged state, on an instance's callback and on the shared one", async () => {
    const forged = `${foyer.svc.config.publicUrl}/fapi/${a.id}/v1/oauth_callback?state=forged-state-000000000000&code=some-code-0000000`;
    await expectEvent("oauth_state_invalid", a.id, async () => {
      expect((await get(new CookieJar(), forged)).status).toBe(400);
      return ["forged-state-000000000000", "some-code-0000000"];
    });
    await expectEvent("oauth_state_invalid", NO_INSTANCE, async () => {
      const shared = `/v1/oauth_callback?state=forged-state-111111111111&code=x`;
      expect((await get(new CookieJar(), shared)).status).toBe(400);
      return ["forged-state-111111111111"];
    });
  });

  it("logs and counts a replayed state", async () => {
    const { jar, callbackUrl } = await pending(a.id);
    expect((await get(jar, callbackUrl)).status).toBe(303);
    await expectEvent("oauth_state_invalid", a.id, async () => {
      expect((await get(jar, callbackUrl)).status).toBe(400);
      return [...secretsOf(callbackUrl), ...jar.all().values()];
    });
  });

  it("logs and counts a binding mismatch (another browser)", async () => {
    const { callbackUrl } = await pending(a.id);
    await expectEvent("oauth_binding_mismatch", a.id, async () => {
      expect((await get(new CookieJar(), callbackUrl)).status).toBe(400);
      return secretsOf(callbackUrl);
    });
  });

  it("logs and counts a code for another instance, against the instance whose URL got it", async () => {
    const { jar, callbackUrl } = await pending(b.id);
    const onA = new URL(callbackUrl);
    onA.pathname = `/fapi/${a.id}/v1/oauth_callback`;
    await expectEvent("oauth_foreign_instance", a.id, async () => {
      expect((await get(jar, onA.href)).status).toBe(400);
      return secretsOf(callbackUrl);
    });
  });

  it("logs and counts a banned user's sign-in", async () => {
    foyer.emulator.control.upsertAccount({
      accountId: "557058:evt-ban",
      name: "Ban",
      siteIds: [DEMO_IDS.acme],
    });
    const first = await signInFlow(foyer, new CookieJar(), a.id, {
      accountId: "557058:evt-ban",
      cloudId: DEMO_IDS.acme,
    });
    expect(first.location).not.toContain("error=");
    const user = await foyer.svc.db.kysely
      .selectFrom("external_accounts")
      .select("user_id")
      .where("provider_user_id", "=", "557058:evt-ban")
      .executeTakeFirstOrThrow();
    const ban = await foyer.request(`/v1/users/${user.user_id}/ban`, {
      method: "POST",
      headers: { authorization: `Bearer ${a.secretKey}` },
    });
    expect(ban.status).toBe(200);
    await expectEvent("stopped_user_sign_in", a.id, async () => {
      const { jar, callbackUrl } = await pending(a.id, "557058:evt-ban");
      const res = await get(jar, callbackUrl);
      expect(res.headers.get("location")).toContain("error=user_banned");
      return secretsOf(callbackUrl);
    });
  });

  it("logs one event when a source's wrong secret keys are throttled, and answers 429", async () => {
    const wrong = (i: number) =>
      foyer.request("/v1/users", {
        headers: { authorization: `Bearer sk_test_wrong-key-${i}-0000000000`, "x-forwarded-for": IP },
      });
    await expectEvent("secret_key_guessing", NO_INSTANCE, async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 35; i++) statuses.push((await wrong(i)).status);
      expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(30).every((s) => s === 429)).toBe(true);
      return ["sk_test_wrong-key-1-0000000000"];
    });
    // Another source is not affected.
    const other = await foyer.request("/v1/users", {
      headers: { authorization: `Bearer ${a.secretKey}`, "x-forwarded-for": "203.0.113.9" },
    });
    expect(other.status).toBe(200);
  });

  it("shows the counters on the instance's dashboard page", async () => {
    const dash = await signInToDashboard(foyer);
    const html = await dash.html(`/dashboard/instances/${a.id}/api-keys`);
    for (const k of [
      "oauth_state_invalid",
      "oauth_binding_mismatch",
      "oauth_foreign_instance",
      "stopped_user_sign_in",
    ]) {
      expect(html).toContain(`data-security-event="${k}"`);
    }
    expect(html).toContain('data-security-event="secret_key_guessing"');
  });
});
