/**
 * Organizations of an instance (Clerk's model): create, find by id or slug, list, update,
 * delete. Every query is confined to the secret key's instance, so another instance's
 * organization id is a 404. Site organizations (site-organizations.ts) are made through
 * {@link insertOrganization} inside the sign-in's own transaction.
 */
import { type Kysely, sql } from "kysely";
import { newId, randomToken } from "../crypto/random.js";
import type { Database, OrganizationTable } from "../db/schema.js";
import { isUniqueViolation } from "../db/unique-violation.js";
import { ApiError } from "../errors/api-error.js";
import type { Services } from "../services.js";
import {
  emitMembershipEvent,
  emitOrganizationDeleted,
  emitOrganizationEvent,
} from "./organization-events.js";
import type { OrganizationRow } from "./organization-json.js";
import { serialiseMetadata, slugFrom } from "./organization-params.js";
import { selectOrganizations } from "./organization-reads.js";

export function organizationNotFound(): ApiError {
  return new ApiError("resource_not_found", {
    longMessage: "No organization with that id or slug in this instance.",
  });
}

function slugTaken(): ApiError {
  return new ApiError("organization_slug_taken", { meta: { param_name: "slug" } });
}

export async function findOrganization(
  svc: Services,
  instanceId: string,
  idOrSlug: string,
): Promise<OrganizationRow | undefined> {
  const column = idOrSlug.startsWith("org_") ? "organizations.id" : "organizations.slug";
  const row = await selectOrganizations(svc.db.kysely, instanceId)
    .where(column, "=", idOrSlug)
    .executeTakeFirst();
  return row as OrganizationRow | undefined;
}

export async function getOrganization(
  svc: Services,
  instanceId: string,
  idOrSlug: string,
): Promise<OrganizationRow> {
  const row = await findOrganization(svc, instanceId, idOrSlug);
  if (!row) throw organizationNotFound();
  return row;
}

/** `%` and `_` in a search are literal characters, not wildcards. */
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/** Newest first, as Clerk lists them; `query`: exact id, or part of the name or slug. */
export async function listOrganizations(
  svc: Services,
  instanceId: string,
  q: { limit: number; offset: number; query?: string },
): Promise<{ rows: OrganizationRow[]; total: number }> {
  const db = svc.db.kysely;
  let base = db.selectFrom("organizations").where("organizations.instance_id", "=", instanceId);
  if (q.query) {
    const pattern = likePattern(q.query);
    const like = (column: string) => sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
    base = base.where((eb) =>
      eb.or([eb("organizations.id", "=", q.query!), like("organizations.name"), like("organizations.slug")]),
    );
  }
  const ids = base.select("organizations.id");
  const [rows, total] = await Promise.all([
    selectOrganizations(db, instanceId)
      .where("organizations.id", "in", ids)
      .orderBy("organizations.created_at", "desc")
      .orderBy("organizations.id", "desc")
      .limit(q.limit)
      .offset(q.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as OrganizationRow[], total: Number(total.n) };
}

/** A free slug near `wanted`: itself, else with a random suffix (site names repeat across sites). */
async function freeSlug(db: Kysely<Database>, instanceId: string, wanted: string): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const slug =
      attempt === 0
        ? wanted
        : `${wanted}-${randomToken(4)
            .toLowerCase()
            .replace(/[^a-z0-9]/g, "x")}`;
    const taken = await db
      .selectFrom("organizations")
      .select("id")
      .where("instance_id", "=", instanceId)
      .where("slug", "=", slug)
      .executeTakeFirst();
    if (!taken) return slug;
  }
  throw new ApiError("internal_error", { longMessage: "Could not find a free organization slug." });
}

export interface NewOrganization {
  name: string;
  /** Taken as given (taken already: 422); absent: made from the name, with a suffix if needed. */
  slug?: string;
  createdBy?: string | null;
  maxAllowedMemberships?: number;
  publicMetadata?: Record<string, unknown>;
  privateMetadata?: Record<string, unknown>;
  site?: { cloudId: string; url: string; name: string; avatarUrl: string | null };
}

/** Inserts an organization on `db` (a transaction, for site organizations); answers its row. */
export async function insertOrganization(
  db: Kysely<Database>,
  instanceId: string,
  now: number,
  org: NewOrganization,
): Promise<OrganizationTable> {
  if (org.slug) {
    const taken = await db
      .selectFrom("organizations")
      .select("id")
      .where("instance_id", "=", instanceId)
      .where("slug", "=", org.slug)
      .executeTakeFirst();
    if (taken) throw slugTaken();
  }
  const row: OrganizationTable = {
    id: newId("org"),
    instance_id: instanceId,
    name: org.name,
    slug: org.slug ?? (await freeSlug(db, instanceId, slugFrom(org.name))),
    // An uploaded logo only (organization-logos.ts); a site's avatar is shown from its own column.
    image_url: null,
    max_allowed_memberships: org.maxAllowedMemberships ?? 0,
    admin_delete_enabled: 1,
    public_metadata: serialiseMetadata("public_metadata", org.publicMetadata ?? {}),
    private_metadata: serialiseMetadata("private_metadata", org.privateMetadata ?? {}),
    created_by: org.createdBy ?? null,
    atlassian_cloud_id: org.site?.cloudId ?? null,
    atlassian_site_url: org.site?.url ?? null,
    atlassian_site_name: org.site?.name ?? null,
    atlassian_site_avatar_url: org.site?.avatarUrl ?? null,
    created_at: now,
    updated_at: now,
  };
  await db.insertInto("organizations").values(row).execute();
  return row;
}

/** `POST /v1/organizations`: with `created_by`, that user is its first `org:admin`. */
export async function createOrganization(
  svc: Services,
  instanceId: string,
  org: NewOrganization,
): Promise<string> {
  const now = svc.now();
  try {
    return await svc.db.kysely.transaction().execute(async (trx) => {
      if (org.createdBy) {
        const user = await trx
          .selectFrom("users")
          .select("id")
          .where("id", "=", org.createdBy)
          .where("instance_id", "=", instanceId)
          .executeTakeFirst();
        if (!user) {
          throw new ApiError("resource_not_found", {
            longMessage: "created_by names no user of this instance.",
            meta: { param_name: "created_by" },
          });
        }
      }
      const row = await insertOrganization(trx, instanceId, now, org);
      await emitOrganizationEvent(trx, instanceId, row.id, "organization.created", now);
      if (org.createdBy) {
        await trx
          .insertInto("organization_memberships")
          .values({
            id: newId("orgmem"),
            instance_id: instanceId,
            organization_id: row.id,
            user_id: org.createdBy,
            role: "org:admin",
            source: "api",
            public_metadata: "{}",
            private_metadata: "{}",
            created_at: now,
            updated_at: now,
          })
          .execute();
        await emitMembershipEvent(
          trx,
          instanceId,
          row.id,
          org.createdBy,
          "organizationMembership.created",
          now,
        );
      }
      return row.id;
    });
  } catch (err) {
    // Two creations with one slug at once: the unique index settles it.
    if (isUniqueViolation(err)) throw slugTaken();
    throw err;
  }
}

export interface OrganizationPatch {
  name?: string;
  slug?: string;
  max_allowed_memberships?: number;
  admin_delete_enabled?: boolean;
  public_metadata?: Record<string, unknown>;
  private_metadata?: Record<string, unknown>;
}

/** `PATCH /v1/organizations/{id}`: replaces the fields given. */
export async function updateOrganization(
  svc: Services,
  org: OrganizationTable,
  patch: OrganizationPatch,
): Promise<void> {
  const set: Partial<OrganizationTable> = { updated_at: svc.now() };
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.slug !== undefined && patch.slug !== org.slug) {
    const taken = await svc.db.kysely
      .selectFrom("organizations")
      .select("id")
      .where("instance_id", "=", org.instance_id)
      .where("slug", "=", patch.slug)
      .executeTakeFirst();
    if (taken) throw slugTaken();
    set.slug = patch.slug;
  }
  if (patch.max_allowed_memberships !== undefined)
    set.max_allowed_memberships = patch.max_allowed_memberships;
  if (patch.admin_delete_enabled !== undefined) set.admin_delete_enabled = patch.admin_delete_enabled ? 1 : 0;
  if (patch.public_metadata)
    set.public_metadata = serialiseMetadata("public_metadata", patch.public_metadata);
  if (patch.private_metadata)
    set.private_metadata = serialiseMetadata("private_metadata", patch.private_metadata);
  try {
    await svc.db.kysely.transaction().execute(async (trx) => {
      await trx
        .updateTable("organizations")
        .set(set)
        .where("id", "=", org.id)
        .where("instance_id", "=", org.instance_id)
        .execute();
      await emitOrganizationEvent(trx, org.instance_id, org.id, "organization.updated", set.updated_at!);
    });
  } catch (err) {
    if (set.slug && isUniqueViolation(err)) throw slugTaken();
    throw err;
  }
}

/** Deletes an organization and (by cascade) its memberships; false when there was none. */
export async function deleteOrganization(svc: Services, instanceId: string, id: string): Promise<boolean> {
  return svc.db.kysely.transaction().execute(async (trx) => {
    await trx
      .updateTable("sessions")
      .set({ active_organization_id: null })
      .where("instance_id", "=", instanceId)
      .where("active_organization_id", "=", id)
      .execute();
    const res = await trx
      .deleteFrom("organizations")
      .where("id", "=", id)
      .where("instance_id", "=", instanceId)
      .executeTakeFirst();
    if (res.numDeletedRows === 0n) return false;
    // Its memberships go with it (cascade); the one event says so for all of them.
    await emitOrganizationDeleted(trx, instanceId, id, svc.now());
    return true;
  });
}
