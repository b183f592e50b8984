/**
 * The instance's allow-list of Atlassian sites (issue 18, item 4), through real sign-ins at the
 * emulator: a grant for none of the listed sites creates nothing; the token answer lists only
 * the listed sites.
 */
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
import { randomToken } from "../crypto/random.js";

describe.each(DB_KINDS)("sign-in restricted to Atlassian sites (%s)", (kind) => {
  let foyer: EmulatedFoyer;
  let instance: { id: string; secretKey: string };
  const app = "https://app.example.com";

  beforeAll(async () => {
    foyer = await createEmulatedFoyer(kind);
    instance = await createTestInstance(foyer, { allowedOrigins: [app] });
  });
  afterAll(() => foyer.close());

  const patch = (json: unknown) => foyer.platform(`/instances/${instance.id}`, { method: "PATCH", json });

  /** A fresh emulator account on these sites, so tests share no grant. */
  const person = (siteIds: string[]) => {
    const accountId = `557058:${randomToken(12)}`;
    foyer.emulator.control.upsertAccount({
      accountId,
      name: "Site Person",
      email: `${randomToken(6).toLowerCase()}@example.com`,
      emailVerified: true,
      nickname: "site-person",
      accountStatus: "active",
      siteIds,
    });
    return accountId;
  };

  const rowsOf = async (accountId: string) => {
    const db = foyer.svc.db.kysely;
    const accounts = await db
      .selectFrom("external_accounts")
      .select(["id", "user_id"])
      .where("instance_id", "=", instance.id)
      .where("provider_user_id", "=", accountId)
      .execute();
    const users = await db.selectFrom("users").select("id").where("instance_id", "=", instance.id).execute();
    const sessions = await db
      .selectFrom("sessions")
      .select("id")
      .where("instance_id", "=", instance.id)
      .execute();
    return { accounts, users: users.length, sessions: sessions.length };
  };

  it("normalises cloud ids and site URLs, refuses anything else by index, and shows the list", async () => {
    const bad = await patch({ allowed_atlassian_sites: [DEMO_IDS.acme, "https://acme.atlassian.net/wiki"] });
    expect(bad.status).toBe(422);
    const body = await bad.json();
    expect(body.errors[0]).toMatchObject({
      code: "form_param_invalid",
      meta: { param_name: "allowed_atlassian_sites.1" },
    });
    for (const entry of ["not a site", "http://acme.atlassian.net", "*.atlassian.net", "https://u:p@a.b"]) {
      expect((await patch({ allowed_atlassian_sites: [entry] })).status).toBe(422);
    }
    const ok = await patch({
      allowed_atlassian_sites: [
        DEMO_IDS.acme.toUpperCase(),
        "Acme-Demo.atlassian.net/",
        "https://acme-demo.atlassian.net",
      ],
    });
    expect(ok.status).toBe(200);
    expect((await ok.json()).allowed_atlassian_sites).toEqual([
      DEMO_IDS.acme,
      "https://acme-demo.atlassian.net",
    ]);
    const shown = await foyer.platform(`/instances/${instance.id}`);
    expect((await shown.json()).allowed_atlassian_sites).toEqual([
      DEMO_IDS.acme,
      "https://acme-demo.atlassian.net",
    ]);
  });

  it("refuses a Globex-only user and creates nothing: no user, no external account, no session", async () => {
    expect((await patch({ allowed_atlassian_sites: [DEMO_IDS.acme] })).status).toBe(200);
    const before = await rowsOf("none");
    const accountId = person([DEMO_IDS.globex]);
    const jar = new CookieJar();
    const flow = await signInFlow(
      foyer,
      jar,
      instance.id,
      { accountId, cloudId: DEMO_IDS.globex },
      { redirectUrl: `${app}/home` },
    );
    expect(flow.callback.status).toBe(303);
    // Started from the app: back to it with the code, as every sign-in failure does.
    expect(flow.location).toBe(`${app}/home?foyer_error=atlassian_site_not_allowed`);
    expect(jar.get("__client")).toBeUndefined();
    const after = await rowsOf(accountId);
    expect(after.accounts).toEqual([]);
    expect(after.users).toBe(before.users);
    expect(after.sessions).toBe(before.sessions);

    // A bare sign-in ends on the hosted page, which says why in words.
    const bare = await signInFlow(foyer, new CookieJar(), instance.id, {
      accountId,
      cloudId: DEMO_IDS.globex,
    });
    const location = new URL(bare.location!);
    expect(location.pathname).toBe(`/fapi/${instance.id}/sign-in`);
    expect(location.searchParams.get("error")).toBe("atlassian_site_not_allowed");
    const html = await (await foyer.request(bare.location!)).text();
    expect(html).toContain('data-error-code="atlassian_site_not_allowed"');
    expect(html).toContain("only for people of certain Atlassian sites");
    expect((await rowsOf(accountId)).accounts).toEqual([]);
  });

  it("signs in an Acme user when Acme is listed by its URL", async () => {
    expect((await patch({ allowed_atlassian_sites: ["https://acme-demo.atlassian.net"] })).status).toBe(200);
    const accountId = person([DEMO_IDS.acme]);
    const jar = new CookieJar();
    const flow = await signInFlow(
      foyer,
      jar,
      instance.id,
      { accountId, cloudId: DEMO_IDS.acme },
      { redirectUrl: `${app}/home` },
    );
    expect(flow.location).toBe(`${app}/home`);
    expect(jar.get("__client")).toBeDefined();
    const { accounts } = await rowsOf(accountId);
    expect(accounts).toHaveLength(1);
  });

  it("lists only the allowed site in the token answer of a user whose grant covers both", async () => {
    expect((await patch({ allowed_atlassian_sites: [DEMO_IDS.acme] })).status).toBe(200);
    const accountId = person([DEMO_IDS.acme, DEMO_IDS.globex]);
    // Atlassian adds one site per consent to the grant: Acme first, then Globex.
    await signInFlow(foyer, new CookieJar(), instance.id, { accountId, cloudId: DEMO_IDS.acme });
    const second = await signInFlow(foyer, new CookieJar(), instance.id, {
      accountId,
      cloudId: DEMO_IDS.globex,
    });
    expect(new URL(second.location!).searchParams.get("error")).toBeNull();
    const [account] = (await rowsOf(accountId)).accounts;
    const stored = await foyer.svc.db.kysely
      .selectFrom("external_accounts")
      .select("sites")
      .where("id", "=", account!.id)
      .executeTakeFirstOrThrow();
    // Foyer keeps every site the grant covers; only the answer is narrowed.
    expect((JSON.parse(stored.sites) as Array<{ id: string }>).map((s) => s.id).sort()).toEqual(
      [DEMO_IDS.acme, DEMO_IDS.globex].sort(),
    );
    const tokenAnswer = async () => {
      const res = await foyer.request(`/v1/users/${account!.user_id}/oauth_access_tokens/oauth_atlassian`, {
        headers: { authorization: `Bearer ${instance.secretKey}` },
      });
      expect(res.status).toBe(200);
      const [item] = (await res.json()) as Array<{ sites: Array<{ cloud_id: string }> }>;
      return item!.sites.map((s) => s.cloud_id);
    };
    expect(await tokenAnswer()).toEqual([DEMO_IDS.acme]);
    // With the list emptied, every site of the grant is the app's again.
    expect((await patch({ allowed_atlassian_sites: [] })).status).toBe(200);
    expect((await tokenAnswer()).sort()).toEqual([DEMO_IDS.acme, DEMO_IDS.globex].sort());
  });
});
