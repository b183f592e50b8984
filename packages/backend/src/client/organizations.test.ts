/**
 * Organizations and memberships through `@foyer/backend`'s client, against a real Foyer on both
 * databases: Clerk's shapes, roles, slugs, limits, and the secret key's instance as the only scope.
 */
import { createFoyerClient, FoyerApiError } from "@foyer/backend";
import {
  appFetch,
  createTestFoyer,
  createTestInstance,
  DB_KINDS,
  type TestFoyer,
} from "@foyer/testkit/backend-sdk";
import { insertTestUser } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Instance } from "../../../server/src/instances/instances.js";

describe.each(DB_KINDS)("organizations through createFoyerClient (%s)", (kind) => {
  let foyer: TestFoyer;
  let client: ReturnType<typeof createFoyerClient>;
  let other: ReturnType<typeof createFoyerClient>;
  let instance: Instance;

  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
    const created = await createTestInstance(foyer);
    instance = created.instance;
    const opts = { apiUrl: foyer.svc.config.publicUrl, fetch: appFetch(foyer) };
    client = createFoyerClient({ ...opts, secretKey: created.secretKey });
    other = createFoyerClient({ ...opts, secretKey: (await createTestInstance(foyer)).secretKey });
  });
  afterAll(() => foyer?.close());

  const codeOf = async (p: Promise<unknown>) => {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(FoyerApiError);
    return { code: (err as FoyerApiError).code, status: (err as FoyerApiError).status };
  };

  it("creates an organization with its creator as org:admin, and gets it by id or slug", async () => {
    const ada = await insertTestUser(foyer, instance, { first_name: "Ada" });
    const org = await client.organizations.createOrganization({
      name: "Analytical Engines",
      created_by: ada.id,
      public_metadata: { plan: "pro" },
    });
    expect(org).toMatchObject({
      object: "organization",
      name: "Analytical Engines",
      slug: "analytical-engines",
      members_count: 1,
      max_allowed_memberships: 0,
      admin_delete_enabled: true,
      public_metadata: { plan: "pro" },
      private_metadata: {},
      created_by: ada.id,
      atlassian_site: null,
      image_url: "",
      has_image: false,
    });
    expect(org.id).toMatch(/^org_/);
    expect(await client.organizations.getOrganization("analytical-engines")).toEqual(org);
    expect(await client.organizations.getOrganization(org.id)).toEqual(org);
    const { data, totalCount } = await client.users.getOrganizationMembershipList(ada.id);
    expect(totalCount).toBe(1);
    expect(data[0]).toMatchObject({
      object: "organization_membership",
      role: "org:admin",
      organization: { id: org.id, members_count: 1 },
      public_user_data: { user_id: ada.id, first_name: "Ada" },
    });
    expect(data[0]!.permissions).toContain("org:sys_memberships:manage");

    // Another instance's key sees none of it.
    expect(await codeOf(other.organizations.getOrganization(org.id))).toEqual({
      code: "resource_not_found",
      status: 404,
    });
    expect(await codeOf(other.users.getOrganizationMembershipList(ada.id))).toMatchObject({ status: 404 });
  });

  it("refuses a taken slug, a bad slug or role, and an unknown creator", async () => {
    await client.organizations.createOrganization({ name: "Taken", slug: "taken" });
    expect(await codeOf(client.organizations.createOrganization({ name: "Again", slug: "taken" }))).toEqual({
      code: "organization_slug_taken",
      status: 422,
    });
    expect(
      await codeOf(client.organizations.createOrganization({ name: "x", slug: "Not A Slug" })),
    ).toMatchObject({
      code: "form_param_invalid",
    });
    expect(
      await codeOf(client.organizations.createOrganization({ name: "x", created_by: "user_nobody" })),
    ).toMatchObject({ code: "resource_not_found" });
    // A generated slug steps aside instead of failing.
    const twin = await client.organizations.createOrganization({ name: "Taken" });
    expect(twin.slug).toMatch(/^taken-[a-z0-9x]+$/);
  });

  it("adds, re-roles and removes members within the limit, newest first", async () => {
    const org = await client.organizations.createOrganization({
      name: "Members",
      max_allowed_memberships: 2,
    });
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => insertTestUser(foyer, instance)));
    const first = await client.organizations.createOrganizationMembership(org.id, {
      user_id: a!.id,
      role: "org:admin",
    });
    expect(first).toMatchObject({ role: "org:admin", organization: { members_count: 1 } });
    await client.organizations.createOrganizationMembership(org.id, { user_id: b!.id, role: "org:member" });
    expect(
      await codeOf(
        client.organizations.createOrganizationMembership(org.id, { user_id: b!.id, role: "org:member" }),
      ),
    ).toMatchObject({ code: "organization_membership_limit_reached", status: 403 });
    await client.organizations.updateOrganization(org.id, { max_allowed_memberships: 0 });
    expect(
      await codeOf(
        client.organizations.createOrganizationMembership(org.id, { user_id: b!.id, role: "org:member" }),
      ),
    ).toEqual({ code: "organization_membership_exists", status: 422 });
    expect(
      await codeOf(
        client.organizations.createOrganizationMembership(org.id, {
          user_id: c!.id,
          role: "org:owner" as never,
        }),
      ),
    ).toMatchObject({ code: "form_param_invalid" });

    const list = await client.organizations.getOrganizationMembershipList(org.id);
    expect(list.totalCount).toBe(2);
    expect(list.data.map((m) => m.public_user_data.user_id)).toEqual([b!.id, a!.id]);
    const page = await client.organizations.getOrganizationMembershipList(org.id, { limit: 1, offset: 1 });
    expect(page.data.map((m) => m.public_user_data.user_id)).toEqual([a!.id]);

    const promoted = await client.organizations.updateOrganizationMembership(org.id, b!.id, "org:admin");
    expect(promoted.role).toBe("org:admin");
    const removed = await client.organizations.deleteOrganizationMembership(org.id, a!.id);
    expect(removed).toMatchObject({ role: "org:admin", organization: { members_count: 1 } });
    expect(await codeOf(client.organizations.deleteOrganizationMembership(org.id, a!.id))).toMatchObject({
      code: "resource_not_found",
    });
    expect((await client.organizations.getOrganization(org.id)).members_count).toBe(1);
  });

  it("lists newest first with a query, updates and deletes with the memberships", async () => {
    const search = `Zeta${Date.now()}`;
    const one = await client.organizations.createOrganization({ name: `${search} One` });
    const two = await client.organizations.createOrganization({ name: `${search} Two` });
    const found = await client.organizations.getOrganizationList({ query: search.toLowerCase() });
    expect(found.totalCount).toBe(2);
    expect(found.data.map((o) => o.id)).toEqual([two.id, one.id]);
    expect((await client.organizations.getOrganizationList({ query: one.id })).data.map((o) => o.id)).toEqual(
      [one.id],
    );
    // `%` is a character to look for, not a wildcard.
    expect((await client.organizations.getOrganizationList({ query: "%" })).totalCount).toBe(0);

    const updated = await client.organizations.updateOrganization(one.id, {
      name: "Renamed",
      slug: "renamed",
      admin_delete_enabled: false,
      private_metadata: { tier: 1 },
    });
    expect(updated).toMatchObject({
      name: "Renamed",
      slug: "renamed",
      admin_delete_enabled: false,
      private_metadata: { tier: 1 },
    });
    expect(updated.updated_at).toBeGreaterThanOrEqual(updated.created_at);

    const member = await insertTestUser(foyer, instance);
    await client.organizations.createOrganizationMembership(one.id, {
      user_id: member.id,
      role: "org:member",
    });
    expect(await client.organizations.deleteOrganization(one.id)).toEqual({
      object: "organization",
      id: one.id,
      deleted: true,
    });
    expect((await client.users.getOrganizationMembershipList(member.id)).totalCount).toBe(0);
    expect(await codeOf(client.organizations.getOrganization(one.id))).toMatchObject({ status: 404 });
  });

  it("deep-merges metadata: nested objects merge, null removes a key, another instance gets a 404", async () => {
    const org = await client.organizations.createOrganization({
      name: "Merged",
      public_metadata: { plan: { tier: "pro", seats: 5 }, region: "eu" },
      private_metadata: { crm: "A1" },
    });
    const merged = await client.organizations.updateOrganizationMetadata(org.id, {
      public_metadata: { plan: { seats: 9 }, region: null, tags: ["x"] },
    });
    expect(merged.public_metadata).toEqual({ plan: { tier: "pro", seats: 9 }, tags: ["x"] });
    expect(merged.private_metadata).toEqual({ crm: "A1" });
    const again = await client.organizations.updateOrganizationMetadata(org.id, {
      private_metadata: { crm: null, owner: { name: "Ada" } },
    });
    expect(again.private_metadata).toEqual({ owner: { name: "Ada" } });
    expect(again.public_metadata).toEqual(merged.public_metadata);
    expect(
      await codeOf(other.organizations.updateOrganizationMetadata(org.id, { public_metadata: { a: 1 } })),
    ).toMatchObject({ status: 404, code: "resource_not_found" });
    // Too large after the merge: refused, and nothing stored.
    const big = await codeOf(
      client.organizations.updateOrganizationMetadata(org.id, {
        public_metadata: { blob: "x".repeat(9000) },
      }),
    );
    expect(big).toMatchObject({ status: 422, code: "form_param_invalid" });
    expect((await client.organizations.getOrganization(org.id)).public_metadata).toEqual(
      merged.public_metadata,
    );
  });

  it("uploads and deletes a logo", async () => {
    const org = await client.organizations.createOrganization({ name: "Logo Co" });
    const png = new Blob([Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), Buffer.alloc(24)])]);
    const withLogo = await client.organizations.updateOrganizationLogo(org.id, { file: png });
    expect(withLogo).toMatchObject({ has_image: true });
    expect(withLogo.image_url).toContain("/organization_logos/img_");
    const svg = new Blob(["<svg xmlns='http://www.w3.org/2000/svg'/>"], { type: "image/png" });
    expect(await codeOf(client.organizations.updateOrganizationLogo(org.id, { file: svg }))).toEqual({
      code: "organization_logo_unsupported",
      status: 422,
    });
    expect(await client.organizations.deleteOrganizationLogo(org.id)).toMatchObject({
      has_image: false,
      image_url: "",
    });
  });

  it("loses no key when merges race", async () => {
    const org = await client.organizations.createOrganization({ name: "Racing" });
    const keys = Array.from({ length: 8 }, (_, i) => `k${i}`);
    await Promise.all(
      keys.map((k) =>
        client.organizations.updateOrganizationMetadata(org.id, { public_metadata: { [k]: true } }),
      ),
    );
    const stored = (await client.organizations.getOrganization(org.id)).public_metadata;
    expect(Object.keys(stored).sort()).toEqual(keys);
  });

  it("ends a deleted user's memberships with the user", async () => {
    const org = await client.organizations.createOrganization({ name: "Leavers" });
    const user = await insertTestUser(foyer, instance);
    await client.organizations.createOrganizationMembership(org.id, { user_id: user.id, role: "org:member" });
    await client.users.deleteUser(user.id);
    expect((await client.organizations.getOrganization(org.id)).members_count).toBe(0);
  });

  it("shows the organizations and their members to the operator through the Platform API", async () => {
    const user = await insertTestUser(foyer, instance);
    const org = await client.organizations.createOrganization({ name: "Operator View", created_by: user.id });
    const list = await foyer.platform(`/instances/${instance.id}/organizations?query=operator`);
    expect(list.status).toBe(200);
    expect((await list.json()).data.map((o: { id: string }) => o.id)).toEqual([org.id]);
    const members = await foyer.platform(`/instances/${instance.id}/organizations/${org.id}/memberships`);
    expect((await members.json()).data[0]).toMatchObject({
      role: "org:admin",
      public_user_data: { user_id: user.id },
    });
    // Under another instance's path the organization does not exist.
    const elsewhere = (await createTestInstance(foyer)).id;
    expect((await foyer.platform(`/instances/${elsewhere}/organizations/${org.id}/memberships`)).status).toBe(
      404,
    );
    expect((await foyer.platform(`/instances/${elsewhere}/organizations`)).status).toBe(200);
  });
});
