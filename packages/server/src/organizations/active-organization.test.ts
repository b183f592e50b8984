/**
 * The active organization in the session (issue 18, item 3, first part), through real sign-ins
 * at the emulator on both databases: the site picked in the consent is the session's active
 * organization; its tokens carry Clerk's v2 `o` claim (read by `@clerk/backend`'s own parser)
 * and the site's cloud id; `@foyer/backend`'s authenticateRequest exposes them; an ended
 * membership drops them.
 */

import { signedInAuthObject } from "@clerk/backend/internal";
import { DEMO_IDS } from "@foyer/atlassian-emulator";
import { authenticateRequest } from "@foyer/backend";
import type { OrganizationJSON, SessionTokenClaims } from "@foyer/contract";
import { DB_KINDS } from "@foyer/testkit/databases";
import {
  browserRequest,
  CookieJar,
  createEmulatedFoyer,
  type EmulatedFoyer,
  signInFlow,
} from "@foyer/testkit/emulated-foyer";
import { createTestInstance, type TestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomToken } from "../crypto/random.js";

describe.each(DB_KINDS)("the active organization in the session (%s)", (kind) => {
  let foyer: EmulatedFoyer;
  let t: TestInstance;

  beforeAll(async () => {
    foyer = await createEmulatedFoyer(kind);
    t = await createTestInstance(foyer, { patch: { organizations_from_sites: "auto" } });
  });
  afterAll(() => foyer.close());

  const person = (siteIds: string[]) => {
    const accountId = `557058:${randomToken(12)}`;
    foyer.emulator.control.upsertAccount({
      accountId,
      name: "Org Person",
      email: `${randomToken(6).toLowerCase()}@example.com`,
      emailVerified: true,
      nickname: "org-person",
      accountStatus: "active",
      siteIds,
    });
    return accountId;
  };

  /** Signs in picking `cloudId`; answers a way to mint the new session's token. */
  const signIn = async (accountId: string, cloudId: string) => {
    const jar = new CookieJar();
    const flow = await signInFlow(foyer, jar, t.id, { accountId, cloudId });
    expect(new URL(flow.location!).searchParams.get("error")).toBeNull();
    const client = await (await browserRequest(foyer, jar, `/fapi/${t.id}/v1/client`)).json();
    const sessionId = client.response.last_active_session_id as string;
    const userId = client.response.sessions[0].user.id as string;
    const mint = async () => {
      const res = await browserRequest(foyer, jar, `/fapi/${t.id}/v1/client/sessions/${sessionId}/tokens`, {
        method: "POST",
      });
      expect(res.status).toBe(200);
      const jwt = (await res.json()).jwt as string;
      const claims = JSON.parse(
        Buffer.from(jwt.split(".")[1]!, "base64url").toString(),
      ) as SessionTokenClaims;
      return { jwt, claims };
    };
    const touch = (body: string, contentType = "application/x-www-form-urlencoded") =>
      browserRequest(foyer, jar, `/fapi/${t.id}/v1/client/sessions/${sessionId}/touch`, {
        method: "POST",
        headers: { "content-type": contentType },
        body,
      });
    return { sessionId, userId, mint, touch };
  };

  const siteOrg = async (cloudId: string) => {
    const res = await foyer.request("/v1/organizations?limit=100", {
      headers: { authorization: `Bearer ${t.secretKey}` },
    });
    const { data } = (await res.json()) as { data: OrganizationJSON[] };
    return data.find((o) => o.atlassian_site?.cloud_id === cloudId)!;
  };

  it("makes the site picked in the consent the active organization, in Clerk's claims", async () => {
    const accountId = person([DEMO_IDS.acme, DEMO_IDS.globex]);
    const first = await signIn(accountId, DEMO_IDS.acme);
    const acme = await siteOrg(DEMO_IDS.acme);
    expect((await first.mint()).claims.o).toEqual({
      id: acme.id,
      rol: "admin",
      slg: acme.slug,
      cloud_id: DEMO_IDS.acme,
    });

    // The next consent picks Globex: its session's active organization is Globex.
    const second = await signIn(accountId, DEMO_IDS.globex);
    const globex = await siteOrg(DEMO_IDS.globex);
    const { jwt, claims } = await second.mint();
    expect(claims.o).toMatchObject({ id: globex.id, cloud_id: DEMO_IDS.globex });

    // @clerk/backend's own payload parser reads Foyer's token.
    const clerkAuth = signedInAuthObject({}, jwt, claims as never);
    expect(clerkAuth.orgId).toBe(globex.id);
    expect(clerkAuth.orgRole).toBe("org:admin");
    expect(clerkAuth.orgSlug).toBe(globex.slug);

    const auth = await authenticateRequest(
      new Request("https://app.example.com/api", { headers: { authorization: `Bearer ${jwt}` } }),
      { jwtKey: await t.publicKeyPem(), now: foyer.svc.now },
    );
    expect(auth).toMatchObject({
      status: "signed-in",
      orgId: globex.id,
      orgRole: "org:admin",
      orgSlug: globex.slug,
      orgCloudId: DEMO_IDS.globex,
    });
  });

  it("drops the claim when the membership ends, and never names an organization the user is not in", async () => {
    const other = person([DEMO_IDS.acme]);
    await signIn(other, DEMO_IDS.acme); // Acme has its admin already (or gets one now).
    const s = await signIn(person([DEMO_IDS.acme]), DEMO_IDS.acme);
    const acme = await siteOrg(DEMO_IDS.acme);
    expect((await s.mint()).claims.o).toMatchObject({ id: acme.id, rol: "member" });

    const removed = await foyer.request(`/v1/organizations/${acme.id}/memberships/${s.userId}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${t.secretKey}` },
    });
    expect(removed.status).toBe(200);
    expect((await s.mint()).claims.o).toBeUndefined();
    const row = await foyer.svc.db.kysely
      .selectFrom("sessions")
      .select("active_organization_id")
      .where("id", "=", s.sessionId)
      .executeTakeFirstOrThrow();
    expect(row.active_organization_id).toBeNull();

    // Even a session row naming an organization the user is not a member of mints no claim.
    await foyer.svc.db.kysely
      .updateTable("sessions")
      .set({ active_organization_id: acme.id })
      .where("id", "=", s.sessionId)
      .execute();
    expect((await s.mint()).claims.o).toBeUndefined();
  });

  it("switches the active organization by touch, only to one the user is a member of", async () => {
    const accountId = person([DEMO_IDS.acme, DEMO_IDS.globex]);
    await signIn(accountId, DEMO_IDS.acme);
    const s = await signIn(accountId, DEMO_IDS.globex);
    const [acme, globex] = [await siteOrg(DEMO_IDS.acme), await siteOrg(DEMO_IDS.globex)];
    expect((await s.mint()).claims.o?.id).toBe(globex.id);

    // As clerk-js sends it: a form body.
    const switched = await s.touch(`active_organization_id=${acme.id}`);
    expect(switched.status).toBe(200);
    const touched = await switched.json();
    expect(touched.response).toMatchObject({ id: s.sessionId, last_active_organization_id: acme.id });
    const { jwt, claims } = await s.mint();
    expect(claims.o).toMatchObject({ id: acme.id, cloud_id: DEMO_IDS.acme });
    expect(signedInAuthObject({}, jwt, claims as never).orgId).toBe(acme.id);

    // Not a member: refused, and the active organization stays.
    const plain = await foyer.request("/v1/organizations", {
      method: "POST",
      headers: { authorization: `Bearer ${t.secretKey}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "Outsiders" }),
    });
    const outsiders = (await plain.json()).id as string;
    const refused = await s.touch(JSON.stringify({ active_organization_id: outsiders }), "application/json");
    expect(refused.status).toBe(403);
    expect((await refused.json()).errors[0].code).toBe("organization_membership_required");
    expect((await s.mint()).claims.o?.id).toBe(acme.id);

    // None: the claim goes.
    expect((await s.touch(JSON.stringify({ active_organization_id: null }), "application/json")).status).toBe(
      200,
    );
    expect((await s.mint()).claims.o).toBeUndefined();
  });
});
