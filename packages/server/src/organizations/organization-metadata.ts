/**
 * `PATCH /v1/organizations/{id}/metadata`: Clerk's deep merge of public and private metadata
 * (nested objects merge, anything else replaces, `null` removes the key at any level), the
 * stored values read and written in one transaction so two merges at once both land.
 */
import type { OrganizationTable } from "../db/schema.js";
import type { Services } from "../services.js";
import { mergeMetadata } from "../users/update-user.js";
import { emitOrganizationEvent } from "./organization-events.js";
import { serialiseMetadata } from "./organization-params.js";
import { organizationNotFound } from "./organizations.js";

export interface OrganizationMetadataPatch {
  public_metadata?: Record<string, unknown>;
  private_metadata?: Record<string, unknown>;
}

const KEYS = ["public_metadata", "private_metadata"] as const;

export async function mergeOrganizationMetadata(
  svc: Services,
  org: Pick<OrganizationTable, "id" | "instance_id">,
  patch: OrganizationMetadataPatch,
): Promise<void> {
  const now = svc.now();
  await svc.db.kysely.transaction().execute(async (trx) => {
    // PostgreSQL: the row lock makes a second merge wait for this one and read its result
    // (SQLite's write transactions are serial already).
    const stored = await trx
      .selectFrom("organizations")
      .select(["public_metadata", "private_metadata"])
      .where("id", "=", org.id)
      .where("instance_id", "=", org.instance_id)
      .$if(svc.db.dialect === "postgres", (q) => q.forUpdate())
      .executeTakeFirst();
    if (!stored) throw organizationNotFound();
    const set: Partial<OrganizationTable> = { updated_at: now };
    for (const key of KEYS) {
      const value = patch[key];
      if (value === undefined) continue;
      const merged = mergeMetadata(JSON.parse(stored[key]) as Record<string, unknown>, value);
      set[key] = serialiseMetadata(key, merged);
    }
    await trx.updateTable("organizations").set(set).where("id", "=", org.id).execute();
    await emitOrganizationEvent(trx, org.instance_id, org.id, "organization.updated", now);
  });
}
