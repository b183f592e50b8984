import { Foyer, FoyerError } from "@foyer/js";
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
 * `foyer.setActive({ organization })` against a real Frontend API: the switch is in the very
 * next token, and an organization the user is not a member of is refused with a code, leaving
 * the active organization (session and token) as it was.
 */
const APP = "https://app.example.com";

function browserFetch(foyer: TestFoyer, signedIn: SignedIn): typeof fetch {
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set("cookie", `__client=${signedIn.clientToken}`);
    headers.set("origin", APP);
    return foyer.app.fetch(new Request(input, { ...init, headers }));
  };
}

function claimsOf(jwt: string | null): { o?: { id: string; rol: string; slg: string } } {
  const part = jwt!.split(".")[1]!;
  return JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
}

describe.each(DB_KINDS)("@foyer/js setActive({ organization }) (%s)", (kind) => {
  let foyer: TestFoyer;
  let t: TestInstance;

  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
    t = await createTestInstance(foyer, { allowedOrigins: [APP] });
  });
  afterAll(() => foyer.close());

  const createOrg = async (name: string, createdBy: string): Promise<{ id: string; slug: string }> => {
    const res = await foyer.request("/v1/organizations", {
      method: "POST",
      headers: { authorization: `Bearer ${t.secretKey}`, "content-type": "application/json" },
      body: JSON.stringify({ name, created_by: createdBy }),
    });
    expect(res.status).toBe(200);
    return res.json();
  };

  it("switches to a member's organization at once and refuses a non-member's, changing nothing", async () => {
    const ada = await signInTestUser(foyer, t.instance);
    const bob = await signInTestUser(foyer, t.instance);
    const acme = await createOrg("Acme", ada.user.id);
    const globex = await createOrg("Globex", bob.user.id);
    const sdk = new Foyer(t.publishableKey, { fetch: browserFetch(foyer, ada), sessionCookie: false });
    await sdk.load();
    expect(sdk.organization).toBeNull();
    const before = await sdk.session!.getToken();
    expect(claimsOf(before).o).toBeUndefined();

    const heard: (string | null)[] = [];
    sdk.addListener((s) => heard.push(s.organization?.id ?? null));
    await sdk.setActive({ organization: acme.id });
    expect(sdk.session!.last_active_organization_id).toBe(acme.id);
    expect(sdk.organization).toMatchObject({ id: acme.id, name: "Acme" });
    expect(heard.at(-1)).toBe(acme.id);
    // Not the cached token of before the switch: a new one, with the claim.
    const after = await sdk.session!.getToken();
    expect(after).not.toBe(before);
    expect(claimsOf(after).o).toMatchObject({ id: acme.id, rol: "admin", slg: acme.slug });
    expect(sdk.organizationMemberships!.map((m) => m.organization.id)).toEqual([acme.id]);

    const refused = await sdk.setActive({ organization: globex.id }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(FoyerError);
    expect(refused).toMatchObject({ code: "organization_membership_required", status: 403 });
    expect(sdk.session!.last_active_organization_id).toBe(acme.id);
    expect(sdk.organization!.id).toBe(acme.id);
    expect(claimsOf(await sdk.session!.getToken({ skipCache: true })).o?.id).toBe(acme.id);
    const stored = await foyer.svc.db.kysely
      .selectFrom("sessions")
      .select("active_organization_id")
      .where("id", "=", ada.sessionId)
      .executeTakeFirstOrThrow();
    expect(stored.active_organization_id).toBe(acme.id);

    // A fresh page load finds the active organization with its name.
    const reloaded = new Foyer(t.publishableKey, { fetch: browserFetch(foyer, ada), sessionCookie: false });
    await reloaded.load();
    expect(reloaded.organization).toMatchObject({ id: acme.id, name: "Acme" });
    reloaded.destroy();

    await sdk.setActive({ organization: null });
    expect(sdk.organization).toBeNull();
    expect(claimsOf(await sdk.session!.getToken()).o).toBeUndefined();
    sdk.destroy();
  });
});
