/**
 * `@clerk/backend`'s own client, pointed at Foyer over a real socket, lists and gets users and
 * fetches the Atlassian token: the drop-in promise for apps already written against Clerk.
 */

import { createClerkClient } from "@clerk/backend";
import {
  expireAccessToken,
  newEmulatorAccount,
  seedAtlassianUser,
  startTokenEmulator,
  type TokenEmulator,
} from "@foyer/testkit/atlassian-user";
import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { createTestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe.each(DB_KINDS)("@clerk/backend against Foyer (%s)", (kind) => {
  let te: TokenEmulator;
  let foyer: TestFoyer;
  let clerk: ReturnType<typeof createClerkClient>;
  let seeded: Awaited<ReturnType<typeof seedAtlassianUser>>;

  beforeAll(async () => {
    te = await startTokenEmulator({ refreshLeewaySeconds: 0 });
    foyer = await createTestFoyer(kind, { atlassian: te.atlassian, listen: true });
    const { id: instanceId, secretKey } = await createTestInstance(foyer);
    seeded = await seedAtlassianUser(foyer, te, {
      instanceId,
      accountId: newEmulatorAccount(te, "Kay Nygaard"),
    });
    // The SDK appends its API version: requests go to <Foyer public URL>/v1/…
    clerk = createClerkClient({ secretKey, apiUrl: foyer.svc.config.publicUrl });
  });
  afterAll(async () => {
    await foyer?.close();
    await te?.emulator.close();
  });

  it("lists, counts and gets users", async () => {
    const list = await clerk.users.getUserList({ limit: 10, orderBy: "-created_at" });
    expect(list.totalCount).toBe(1);
    expect(list.data.map((u) => u.id)).toEqual([seeded.userId]);
    const user = await clerk.users.getUser(seeded.userId);
    expect(user.firstName).toBe("Kay");
    expect(user.externalAccounts[0]!.provider).toBe("oauth_atlassian");
    expect(user.primaryEmailAddress?.emailAddress).toMatch(/@example\.com$/);
    expect(await clerk.users.getCount()).toBe(1);
  });

  it("fetches a fresh Atlassian token, refreshing an expired one", async () => {
    await expireAccessToken(foyer, seeded.externalAccountId);
    const { data, totalCount } = await clerk.users.getUserOauthAccessToken(
      seeded.userId,
      "atlassian" as never,
    );
    expect(totalCount).toBe(1);
    expect(data[0]!.provider).toBe("oauth_atlassian");
    expect(data[0]!.externalAccountId).toBe(seeded.externalAccountId);
    expect(data[0]!.token).not.toBe(seeded.tokens.access_token);
    expect(data[0]!.scopes).toContain("read:jira-work");
    expect(te.emulator.control.counters().refreshes).toBe(1);
  });

  it("creates, lists and joins organizations through its organizations API", async () => {
    const org = await clerk.organizations.createOrganization({
      name: "Kay's Team",
      createdBy: seeded.userId,
      publicMetadata: { plan: "team" },
    });
    expect(org.id).toMatch(/^org_/);
    expect(org.slug).toBe("kay-s-team");
    expect(org.publicMetadata).toEqual({ plan: "team" });
    expect(org.membersCount).toBe(1);
    const list = await clerk.organizations.getOrganizationList({ limit: 10 });
    expect(list.totalCount).toBe(1);
    expect(list.data[0]!.name).toBe("Kay's Team");
    expect((await clerk.organizations.getOrganization({ slug: "kay-s-team" })).id).toBe(org.id);
    const memberships = await clerk.users.getOrganizationMembershipList({ userId: seeded.userId });
    expect(memberships.totalCount).toBe(1);
    expect(memberships.data[0]!.role).toBe("org:admin");
    expect(memberships.data[0]!.organization.id).toBe(org.id);
    expect(memberships.data[0]!.publicUserData?.userId).toBe(seeded.userId);
    const renamed = await clerk.organizations.updateOrganization(org.id, { name: "Kay's Crew" });
    expect(renamed.name).toBe("Kay's Crew");
    const member = await clerk.organizations.updateOrganizationMembership({
      organizationId: org.id,
      userId: seeded.userId,
      role: "org:member",
    });
    expect(member.role).toBe("org:member");
    const merged = await clerk.organizations.updateOrganizationMetadata(org.id, {
      publicMetadata: { plan: null, seats: 3 },
      privateMetadata: { crm: "K-1" },
    });
    expect(merged.publicMetadata).toEqual({ seats: 3 });
    expect(merged.privateMetadata).toEqual({ crm: "K-1" });
    const png = Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), Buffer.alloc(32)]);
    const withLogo = await clerk.organizations.updateOrganizationLogo(org.id, {
      file: new Blob([png], { type: "image/png" }),
      uploaderUserId: seeded.userId,
    });
    expect(withLogo.hasImage).toBe(true);
    const logo = await fetch(withLogo.imageUrl);
    expect(logo.headers.get("content-type")).toBe("image/png");
    expect((await clerk.organizations.deleteOrganizationLogo(org.id)).hasImage).toBe(false);
    await clerk.organizations.deleteOrganization(org.id);
    expect((await clerk.organizations.getOrganizationList()).totalCount).toBe(0);
  });

  it("surfaces Foyer's error codes through the SDK's error type", async () => {
    await expect(clerk.users.getUser("user_doesnotexist")).rejects.toMatchObject({
      status: 404,
      errors: [expect.objectContaining({ code: "resource_not_found" })],
    });
  });
});
