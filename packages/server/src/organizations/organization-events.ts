/**
 * `organization.*` and `organizationMembership.*` events (Clerk's names), written through the
 * outbox on the caller's transaction, with `data` as the Backend API shows the resource when the
 * change commits (a deletion: the organization's deleted object, the membership as it was).
 */
import type { OrganizationMembershipJSON } from "@foyer/contract";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { writeEvent } from "../events/outbox.js";
import { organizationJson } from "./organization-json.js";
import { membershipJsonOf, organizationRowOf } from "./organization-reads.js";

type Db = Kysely<Database>;

export async function emitOrganizationEvent(
  db: Db,
  instanceId: string,
  organizationId: string,
  type: "organization.created" | "organization.updated",
  now: number,
): Promise<void> {
  const row = await organizationRowOf(db, instanceId, organizationId);
  if (row) await writeEvent(db, instanceId, type, organizationJson(row), now);
}

export async function emitOrganizationDeleted(
  db: Db,
  instanceId: string,
  organizationId: string,
  now: number,
) {
  await writeEvent(
    db,
    instanceId,
    "organization.deleted",
    { object: "organization", id: organizationId, deleted: true },
    now,
  );
}

/** `organizationMembership.created` / `.updated`: the membership as it is now. */
export async function emitMembershipEvent(
  db: Db,
  instanceId: string,
  organizationId: string,
  userId: string,
  type: "organizationMembership.created" | "organizationMembership.updated",
  now: number,
): Promise<void> {
  const json = await membershipJsonOf(db, instanceId, organizationId, userId);
  if (json) await writeEvent(db, instanceId, type, json, now);
}

/** `organizationMembership.deleted`: the membership as it was (read before the delete). */
export async function emitMembershipDeleted(
  db: Db,
  instanceId: string,
  membership: OrganizationMembershipJSON,
  now: number,
): Promise<void> {
  const organization = {
    ...membership.organization,
    members_count: membership.organization.members_count - 1,
  };
  await writeEvent(db, instanceId, "organizationMembership.deleted", { ...membership, organization }, now);
}
