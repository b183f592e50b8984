import { DEMO_IDS } from "@foyer/atlassian-emulator";
import { DB_KINDS } from "@foyer/testkit/databases";
import {
  browserRequest,
  CookieJar,
  consentAt,
  createEmulatedFoyer,
  type EmulatedFoyer,
  signInFlow,
} from "@foyer/testkit/emulated-foyer";
import { createTestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * A connect for one of the user's accounts (`external_account_id`: Reconnect, Grant more access).
 * Atlassian's consent cannot be pinned to an account, so with two accounts linked the browser may
 * come back with the other one (or a third): that is refused as external_account_mismatch and
 * changes no account, rather than refreshing or linking an account the button was not for.
 */
describe.each(DB_KINDS)("A connect for one external account (%s)", (kind) => {
  let foyer: EmulatedFoyer;
  let instanceId: string;
  const app = "https://app.example.com";
  const ada = new CookieJar();
  const grace = new CookieJar();
  const WORK = "557058:connect-target-ada-work";
  const THIRD = "557058:connect-target-ada-third";

  beforeAll(async () => {
    foyer = await createEmulatedFoyer(kind);
    instanceId = (await createTestInstance(foyer)).id;
    await foyer.platform(`/instances/${instanceId}`, { method: "PATCH", json: { allowed_origins: [app] } });
    for (const [accountId, email] of [
      [WORK, "ada-work@example.com"],
      [THIRD, "ada-third@example.com"],
    ] as const) {
      foyer.emulator.control.upsertAccount({
        accountId,
        name: "Ada at work",
        email,
        siteIds: [DEMO_IDS.acme],
      });
    }
    await signInFlow(foyer, ada, instanceId, { accountId: DEMO_IDS.ada, cloudId: DEMO_IDS.acme });
    await signInFlow(foyer, grace, instanceId, { accountId: DEMO_IDS.grace, cloudId: DEMO_IDS.acme });
    // Ada links her work account too (a plain connect: any account is welcome).
    const linked = await connect(ada, {});
    expect(linked.status).toBe(200);
    const callback = await consentAt(foyer, urlOf(await linked.json()), {
      accountId: WORK,
      cloudId: DEMO_IDS.acme,
    });
    expect((await browserRequest(foyer, ada, callback)).headers.get("location")).toBe(`${app}/settings`);
  });
  afterAll(() => foyer.close());

  const urlOf = (body: { response: { verification: { external_verification_redirect_url: string } } }) =>
    body.response.verification.external_verification_redirect_url;
  const account = (accountId: string) =>
    foyer.svc.db.kysely
      .selectFrom("external_accounts")
      .selectAll()
      .where("provider_user_id", "=", accountId)
      .executeTakeFirst();

  async function connect(jar: CookieJar, body: Record<string, unknown>) {
    return browserRequest(foyer, jar, `/fapi/${instanceId}/v1/me/external_accounts`, {
      method: "POST",
      json: { strategy: "oauth_atlassian", redirect_url: `${app}/settings`, ...body },
    });
  }

  /** Connects for `target` (an eac_ id), Atlassian answering for `accountId`; Foyer's redirect. */
  async function connectFor(target: string, accountId: string, body: Record<string, unknown> = {}) {
    const res = await connect(ada, { external_account_id: target, ...body });
    expect(res.status).toBe(200);
    const callback = await consentAt(foyer, urlOf(await res.json()), { accountId, cloudId: DEMO_IDS.acme });
    return (await browserRequest(foyer, ada, callback)).headers.get("location");
  }

  it("refuses a Reconnect of one account that came back with the user's other account, changing neither", async () => {
    const main = (await account(DEMO_IDS.ada))!;
    const work = (await account(WORK))!;
    expect(work.user_id).toBe(main.user_id);
    await foyer.svc.db.kysely
      .updateTable("external_accounts")
      .set({ status: "reauthorization_required" })
      .where("id", "=", main.id)
      .execute();
    const location = await connectFor(main.id, WORK, { additional_scopes: ["read:jira-work"] });
    expect(location).toBe(`${app}/settings?foyer_error=external_account_mismatch`);
    const [mainAfter, workAfter] = [(await account(DEMO_IDS.ada))!, (await account(WORK))!];
    expect(mainAfter.status).toBe("reauthorization_required");
    expect(mainAfter.token_version).toBe(main.token_version);
    expect(workAfter.token_version).toBe(work.token_version);
    expect(workAfter.approved_scopes).toBe(work.approved_scopes);
    const tx = await foyer.svc.db.kysely
      .selectFrom("oauth_transactions")
      .select(["status", "error_code"])
      .orderBy("created_at", "desc")
      .executeTakeFirstOrThrow();
    expect(tx).toEqual({ status: "failed", error_code: "external_account_mismatch" });
  });

  it("refuses a connect for one account that came back with an account not linked yet, linking nothing", async () => {
    const main = (await account(DEMO_IDS.ada))!;
    expect(await connectFor(main.id, THIRD)).toBe(`${app}/settings?foyer_error=external_account_mismatch`);
    expect(await account(THIRD)).toBeUndefined();
  });

  it("completes a connect for the account that came back, and grants it the scope asked for", async () => {
    const main = (await account(DEMO_IDS.ada))!;
    expect(await connectFor(main.id, DEMO_IDS.ada, { additional_scopes: ["read:jira-work"] })).toBe(
      `${app}/settings`,
    );
    const after = (await account(DEMO_IDS.ada))!;
    expect(after.status).toBe("active");
    expect(after.approved_scopes.split(" ")).toContain("read:jira-work");
    expect((await account(WORK))!.approved_scopes.split(" ")).not.toContain("read:jira-work");
  });

  it("asks Atlassian for the scopes the named account holds, not those of the user's other account", async () => {
    const main = (await account(DEMO_IDS.ada))!;
    const work = (await account(WORK))!;
    await foyer.svc.db.kysely
      .updateTable("external_accounts")
      .set({ approved_scopes: `${work.approved_scopes} write:jira-work` })
      .where("id", "=", work.id)
      .execute();
    const scopeOf = async (body: Record<string, unknown>) => {
      const res = await connect(ada, body);
      return new URL(urlOf(await res.json())).searchParams.get("scope")!.split(" ");
    };
    expect(await scopeOf({ external_account_id: main.id })).not.toContain("write:jira-work");
    expect(await scopeOf({ external_account_id: work.id })).toContain("write:jira-work");
    // Unnamed, the connect may come back with either account: it asks for what both hold.
    expect(await scopeOf({})).toContain("write:jira-work");
  });

  it("answers 404 for an external account that is not the user's", async () => {
    const gracesAccount = (await account(DEMO_IDS.grace))!;
    for (const id of [gracesAccount.id, "eac_nosuchaccount"]) {
      const res = await connect(ada, { external_account_id: id });
      expect(res.status).toBe(404);
      const body = await res.json();
      expect(body.errors[0]).toMatchObject({
        code: "resource_not_found",
        meta: { param_name: "external_account_id" },
      });
    }
  });

  it("takes the account from the state Foyer wrote: a state whose account was changed is refused", async () => {
    const main = (await account(DEMO_IDS.ada))!;
    const work = (await account(WORK))!;
    const res = await connect(ada, { external_account_id: main.id });
    const callback = new URL(
      await consentAt(foyer, urlOf(await res.json()), { accountId: WORK, cloudId: DEMO_IDS.acme }),
    );
    const state = callback.searchParams.get("state")!;
    expect(state.endsWith(`.${main.id}`)).toBe(true);
    callback.searchParams.set("state", state.replace(main.id, work.id));
    const done = await browserRequest(foyer, ada, callback.href);
    expect(done.status).toBe(400);
    expect(await done.text()).toContain('data-error-code="oauth_state_invalid"');
    expect((await account(WORK))!.token_version).toBe(work.token_version);
  });
});
