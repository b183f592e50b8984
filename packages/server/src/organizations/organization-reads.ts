/**
 * Reads of organizations and memberships as the API shows them, on any handle (the caller's
 * transaction when an event must carry the state it is about to commit).
 */
import type { Kysely } from "kysely";
import type { Database, OrganizationMembershipTable } from "../db/schema.js";
import { type MemberRow, membershipJson, type OrganizationRow } from "./organization-json.js";

/** Organizations with their member count, one query. */
export function selectOrganizations(db: Kysely<Database>, instanceId: string) {
  return db
    .selectFrom("organizations")
    .selectAll("organizations")
    .select((eb) =>
      eb
        .selectFrom("organization_memberships")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("organization_memberships.organization_id", "=", "organizations.id")
        .as("members_count"),
    )
    .where("organizations.instance_id", "=", instanceId);
}

/** Memberships with their member's public data (name, image, primary email). */
export function selectMemberships(db: Kysely<Database>, instanceId: string) {
  return db
    .selectFrom("organization_memberships")
    .innerJoin("users", "users.id", "organization_memberships.user_id")
    .leftJoin("email_addresses", "email_addresses.id", "users.primary_email_address_id")
    .selectAll("organization_memberships")
    .select([
      "users.first_name",
      "users.last_name",
      "users.image_url",
      "users.username",
      "email_addresses.email_address",
    ])
    .where("organization_memberships.instance_id", "=", instanceId);
}

type MembershipWithMember = OrganizationMembershipTable & Omit<MemberRow, "user_id">;

/** The memberships as JSON, their organizations read in one more query. */
export async function membershipsJson(
  db: Kysely<Database>,
  instanceId: string,
  rows: MembershipWithMember[],
) {
  if (rows.length === 0) return [];
  const orgIds = [...new Set(rows.map((r) => r.organization_id))];
  const orgs = (await selectOrganizations(db, instanceId)
    .where("organizations.id", "in", orgIds)
    .execute()) as OrganizationRow[];
  const byId = new Map(orgs.map((o) => [o.id, o]));
  return rows.map((r) => membershipJson(r, byId.get(r.organization_id)!, r));
}

/** One membership as JSON, or undefined when the user is not a member. */
export async function membershipJsonOf(
  db: Kysely<Database>,
  instanceId: string,
  orgId: string,
  userId: string,
) {
  const row = await selectMemberships(db, instanceId)
    .where("organization_memberships.organization_id", "=", orgId)
    .where("organization_memberships.user_id", "=", userId)
    .executeTakeFirst();
  if (!row) return undefined;
  return (await membershipsJson(db, instanceId, [row]))[0];
}

/** One organization as JSON (members counted now), or undefined. */
export async function organizationRowOf(db: Kysely<Database>, instanceId: string, orgId: string) {
  return (await selectOrganizations(db, instanceId)
    .where("organizations.id", "=", orgId)
    .executeTakeFirst()) as OrganizationRow | undefined;
}
