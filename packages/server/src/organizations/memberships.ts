/**
 * Organization memberships (Clerk's model): list per organization or per user, add, change the
 * role, remove. Clerk addresses a membership by organization and user id, so do these. Site
 * memberships (`source: atlassian_site`) are made and ended by site-organizations.ts.
 */
import type { FrontendOrganizationMembershipJSON, OrganizationRole } from "@foyer/contract";
import type { Kysely } from "kysely";
import { newId } from "../crypto/random.js";
import type { Database } from "../db/schema.js";
import { isUniqueViolation } from "../db/unique-violation.js";
import { ApiError } from "../errors/api-error.js";
import type { Services } from "../services.js";
import { emitMembershipDeleted, emitMembershipEvent } from "./organization-events.js";
import type { OrganizationRow } from "./organization-json.js";
import { serialiseMetadata } from "./organization-params.js";
import { membershipJsonOf, membershipsJson, selectMemberships } from "./organization-reads.js";

/** A membership ended: the user's sessions that had that organization active have none now. */
export async function clearActiveOrganization(
  db: Kysely<Database>,
  instanceId: string,
  userId: string,
  organizationIds: string[],
): Promise<void> {
  if (organizationIds.length === 0) return;
  await db
    .updateTable("sessions")
    .set({ active_organization_id: null })
    .where("instance_id", "=", instanceId)
    .where("user_id", "=", userId)
    .where("active_organization_id", "in", organizationIds)
    .execute();
}

function membershipNotFound(): ApiError {
  return new ApiError("resource_not_found", {
    longMessage: "That user is not a member of this organization.",
  });
}

export interface Page {
  limit: number;
  offset: number;
}

/** One organization's memberships, newest first (Clerk's default order). */
export function listOrganizationMemberships(svc: Services, instanceId: string, orgId: string, page: Page) {
  return listMemberships(svc, instanceId, "organization_id", orgId, page);
}

/** One user's memberships, newest first. */
export function listUserMemberships(svc: Services, instanceId: string, userId: string, page: Page) {
  return listMemberships(svc, instanceId, "user_id", userId, page);
}

/** A page of the memberships of one organization or one user, with the total count. */
async function listMemberships(
  svc: Services,
  instanceId: string,
  by: "organization_id" | "user_id",
  id: string,
  page: Page,
) {
  const db = svc.db.kysely;
  const [rows, total] = await Promise.all([
    selectMemberships(db, instanceId)
      .where(`organization_memberships.${by}`, "=", id)
      .orderBy("organization_memberships.created_at", "desc")
      .orderBy("organization_memberships.id", "desc")
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    db
      .selectFrom("organization_memberships")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("instance_id", "=", instanceId)
      .where(by, "=", id)
      .executeTakeFirstOrThrow(),
  ]);
  return { data: await membershipsJson(db, instanceId, rows), total_count: Number(total.n) };
}

async function oneMembership(db: Kysely<Database>, instanceId: string, orgId: string, userId: string) {
  const json = await membershipJsonOf(db, instanceId, orgId, userId);
  if (!json) throw membershipNotFound();
  return json;
}

/** `POST /v1/organizations/{id}/memberships`: the user joins with the role, within the limit. */
export async function createMembership(
  svc: Services,
  org: OrganizationRow,
  params: {
    user_id: string;
    role: OrganizationRole;
    public_metadata?: Record<string, unknown>;
    private_metadata?: Record<string, unknown>;
  },
) {
  const db = svc.db.kysely;
  const user = await db
    .selectFrom("users")
    .select("id")
    .where("id", "=", params.user_id)
    .where("instance_id", "=", org.instance_id)
    .executeTakeFirst();
  if (!user) {
    throw new ApiError("resource_not_found", {
      longMessage: "user_id names no user of this instance.",
      meta: { param_name: "user_id" },
    });
  }
  if (org.max_allowed_memberships > 0 && Number(org.members_count) >= org.max_allowed_memberships) {
    throw new ApiError("organization_membership_limit_reached", {
      meta: { max_allowed_memberships: org.max_allowed_memberships },
    });
  }
  const now = svc.now();
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto("organization_memberships")
        .values({
          id: newId("orgmem"),
          instance_id: org.instance_id,
          organization_id: org.id,
          user_id: params.user_id,
          role: params.role,
          source: "api",
          public_metadata: serialiseMetadata("public_metadata", params.public_metadata ?? {}),
          private_metadata: serialiseMetadata("private_metadata", params.private_metadata ?? {}),
          created_at: now,
          updated_at: now,
        })
        .execute();
      await emitMembershipEvent(
        trx,
        org.instance_id,
        org.id,
        params.user_id,
        "organizationMembership.created",
        now,
      );
    });
  } catch (err) {
    // The unique index settles two additions at once (the transaction, with its event, rolled back).
    if (isUniqueViolation(err))
      throw new ApiError("organization_membership_exists", { meta: { param_name: "user_id" } });
    throw err;
  }
  return oneMembership(db, org.instance_id, org.id, params.user_id);
}

/** `PATCH /v1/organizations/{id}/memberships/{user_id}`: the new role. */
export async function updateMembershipRole(
  svc: Services,
  org: OrganizationRow,
  userId: string,
  role: OrganizationRole,
) {
  const now = svc.now();
  return svc.db.kysely.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable("organization_memberships")
      .set({ role, updated_at: now })
      .where("instance_id", "=", org.instance_id)
      .where("organization_id", "=", org.id)
      .where("user_id", "=", userId)
      .executeTakeFirst();
    if (res.numUpdatedRows === 0n) throw membershipNotFound();
    await emitMembershipEvent(trx, org.instance_id, org.id, userId, "organizationMembership.updated", now);
    return oneMembership(trx, org.instance_id, org.id, userId);
  });
}

/** `DELETE /v1/organizations/{id}/memberships/{user_id}`: answers the membership as it was. */
export async function deleteMembership(svc: Services, org: OrganizationRow, userId: string) {
  const json = await oneMembership(svc.db.kysely, org.instance_id, org.id, userId);
  await svc.db.kysely.transaction().execute(async (trx) => {
    await emitMembershipDeleted(trx, org.instance_id, json, svc.now());
    await trx
      .deleteFrom("organization_memberships")
      .where("instance_id", "=", org.instance_id)
      .where("organization_id", "=", org.id)
      .where("user_id", "=", userId)
      .execute();
    await clearActiveOrganization(trx, org.instance_id, userId, [org.id]);
  });
  // The answer counts the member gone, as the organization now is.
  return {
    ...json,
    organization: { ...json.organization, members_count: json.organization.members_count - 1 },
  };
}

/**
 * The signed-in user's own memberships for the Frontend API, newest first, without any
 * private_metadata (the browser never sees it). All of them: a user has one per site at most.
 */
export async function ownMembershipsJson(
  svc: Services,
  instanceId: string,
  userId: string,
): Promise<FrontendOrganizationMembershipJSON[]> {
  const { data } = await listUserMemberships(svc, instanceId, userId, { limit: 500, offset: 0 });
  return data.map(({ private_metadata: _m, organization, ...membership }) => {
    const { private_metadata: _o, ...org } = organization;
    return { ...membership, organization: org };
  });
}
