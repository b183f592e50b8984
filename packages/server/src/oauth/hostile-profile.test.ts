import { DEMO_IDS } from "@foyer/atlassian-emulator";
import { DB_KINDS } from "@foyer/testkit/databases";
import {
  CookieJar,
  createEmulatedFoyer,
  type EmulatedFoyer,
  signInFlow,
} from "@foyer/testkit/emulated-foyer";
import { createTestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseProfile } from "../providers/atlassian/profile.js";

describe.each(DB_KINDS)("hostile Atlassian profiles at sign-in (%s)", (kind) => {
  let foyer: EmulatedFoyer;
  let instanceId: string;
  let n = 0;

  beforeAll(async () => {
    foyer = await createEmulatedFoyer(kind);
    instanceId = (await createTestInstance(foyer)).id;
  });
  afterAll(() => foyer.close());

  /** Signs in as a fresh emulator account with these /me fields; the callback's redirect. */
  async function signInAs(fields: Record<string, unknown>) {
    const accountId = `557058:hostile-${++n}`;
    foyer.emulator.control.upsertAccount({ accountId, name: "Hostile", siteIds: [DEMO_IDS.acme], ...fields });
    const flow = await signInFlow(foyer, new CookieJar(), instanceId, { accountId, cloudId: DEMO_IDS.acme });
    const account = await foyer.svc.db.kysely
      .selectFrom("external_accounts")
      .innerJoin("users", "users.id", "external_accounts.user_id")
      .select([
        "users.first_name",
        "users.last_name",
        "users.image_url",
        "users.locale",
        "external_accounts.email_address",
        "external_accounts.username",
      ])
      .where("external_accounts.provider_user_id", "=", accountId)
      .executeTakeFirst();
    return { location: flow.location ?? "", account };
  }

  it("refuses account types other than atlassian, creating nothing", async () => {
    for (const accountType of ["app", "customer"]) {
      const { location, account } = await signInAs({ accountType });
      expect(location).toContain("error=atlassian_account_not_supported");
      expect(account).toBeUndefined();
    }
  });

  it("refuses a profile without account_status", async () => {
    const { location, account } = await signInAs({ accountStatus: null });
    expect(location).toContain("error=atlassian_account_inactive");
    expect(account).toBeUndefined();
  });

  it("keeps avatar URLs only when https (loopback http for the emulator), and logs the drop", async () => {
    const plain = await signInAs({ picture: "http://avatars.evil.example/a.png" });
    expect(plain.location).not.toContain("error=");
    expect(plain.account?.image_url).toBeNull();
    const script = await signInAs({ picture: "javascript:alert(1)" });
    expect(script.account?.image_url).toBeNull();
    const good = await signInAs({ picture: "https://avatar-management.services.atlassian.com/a.png" });
    expect(good.account?.image_url).toBe("https://avatar-management.services.atlassian.com/a.png");
    // The emulator's own avatar (http on 127.0.0.1) is kept for local development.
    const local = await signInAs({});
    expect(local.account?.image_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(foyer.logs()).toMatch(/"field":"picture","action":"dropped","reason":"not_https"/);
  });

  it("cuts over-long names and drops over-long email, locale and picture, with a log record", async () => {
    const longName = `${"N".repeat(150)} ${"L".repeat(4000)}`;
    const { location, account } = await signInAs({
      name: longName,
      nickname: "k".repeat(1000),
      email: `${"e".repeat(400)}@example.com`,
      locale: "x".repeat(100),
      picture: `https://a.example/${"p".repeat(3000)}`,
    });
    expect(location).not.toContain("error=");
    expect(`${account?.first_name} ${account?.last_name}`.length).toBeLessThanOrEqual(200);
    expect(account?.first_name).toBe("N".repeat(150));
    expect(account?.username).toBe("k".repeat(200));
    expect(account?.email_address).toBeNull();
    expect(account?.locale).toBeNull();
    expect(account?.image_url).toBeNull();
    const line = foyer
      .logs()
      .split("\n")
      .find((l) => l.includes("cut or dropped") && l.includes(`hostile-${n}`))!;
    expect(line).toBeTruthy();
    const adjusted = JSON.parse(line).adjusted.map(
      (a: { field: string; action: string }) => `${a.field}:${a.action}`,
    );
    expect(adjusted.sort()).toEqual([
      "email:dropped",
      "locale:dropped",
      "name:cut",
      "nickname:cut",
      "picture:dropped",
    ]);
    // The record names fields and lengths, not the values.
    expect(line).not.toContain("LLLLLLLLLL");
  });
});

describe("parseProfile", () => {
  it("keeps a well-formed profile untouched, with nothing to log", () => {
    const p = parseProfile({
      account_id: "557058:x",
      account_type: "atlassian",
      account_status: "active",
      name: "Ada Lovelace",
      email: "Ada@Example.com",
      picture: "https://avatar.example/a.png",
      locale: "en-GB",
    });
    expect(p).toMatchObject({ accountType: "atlassian", accountStatus: "active", email: "ada@example.com" });
    expect(p?.adjusted).toEqual([]);
  });
});
