/**
 * Site organizations (issue 18, item 2): with `organizations_from_sites: auto`, each Atlassian
 * site a member's grant covers is one organization, bound by cloud id (never URL or name: both
 * change), made on first sight and named after the site. A user whose grants cover the site is
 * a member (the first one `org:admin`), and stops being one when no grant of theirs covers it
 * any more (the consent or refresh that finds the site lost). Runs inside the transaction that
 * writes the external account's sites, so memberships never disagree with the stored sites.
 *
 * Memberships made through the API (`source: api`) are the app's: site access never ends them.
 */
import type { Kysely } from "kysely";
import { newId } from "../crypto/random.js";
import type { Database } from "../db/schema.js";
import { allowedSites } from "../instances/allowed-atlassian-sites.js";
import type { Instance } from "../instances/instances.js";
import { type AtlassianSite, accessibleSites, parseStoredSites } from "../providers/atlassian/sites.js";
import { clearActiveOrganization } from "./memberships.js";
import { emitMembershipDeleted, emitMembershipEvent, emitOrganizationEvent } from "./organization-events.js";
import { membershipJsonOf } from "./organization-reads.js";
import { insertOrganization } from "./organizations.js";

/** Every site this user's Atlassian accounts in the instance reach now, by cloud id. */
async function coveredSites(db: Kysely<Database>, instanceId: string, userId: string) {
  const rows = await db
    .selectFrom("external_accounts")
    .select("sites")
    .where("instance_id", "=", instanceId)
    .where("user_id", "=", userId)
    .where("provider", "=", "oauth_atlassian")
    .execute();
  const covered = new Map<string, AtlassianSite>();
  for (const row of rows)
    for (const site of accessibleSites(parseStoredSites(row.sites))) covered.set(site.id, site);
  return covered;
}

/**
 * Brings the user's site memberships in line with the sites their grants reach now (and the
 * instance allows). Call it on `trx` after the external account's sites are written.
 */
export async function syncSiteOrganizations(
  trx: Kysely<Database>,
  instance: Instance,
  userId: string,
  now: number,
): Promise<void> {
  if (instance.organizations_from_sites !== "auto") return;
  const covered = await coveredSites(trx, instance.id, userId);
  const sites = allowedSites(instance.allowed_atlassian_sites, [...covered.values()]);
  const cloudIds = sites.map((s) => s.id);

  const existing =
    cloudIds.length === 0
      ? []
      : await trx
          .selectFrom("organizations")
          .select([
            "id",
            "atlassian_cloud_id",
            "atlassian_site_url",
            "atlassian_site_name",
            "atlassian_site_avatar_url",
          ])
          .where("instance_id", "=", instance.id)
          .where("atlassian_cloud_id", "in", cloudIds)
          .execute();
  const orgBySite = new Map(existing.map((o) => [o.atlassian_cloud_id!, o]));

  for (const site of sites) {
    let org = orgBySite.get(site.id);
    const fields = { url: site.url, name: site.name, avatarUrl: site.avatar_url };
    if (!org) {
      // Two first sign-ins of one site at once: the unique (instance, cloud id) index refuses the
      // second, and the sign-in's retry finds this organization.
      const row = await insertOrganization(trx, instance.id, now, {
        name: site.name || site.url,
        site: { cloudId: site.id, ...fields },
      });
      org = { ...row, atlassian_cloud_id: site.id };
      await emitOrganizationEvent(trx, instance.id, row.id, "organization.created", now);
    } else if (
      org.atlassian_site_url !== site.url ||
      org.atlassian_site_name !== site.name ||
      org.atlassian_site_avatar_url !== site.avatar_url
    ) {
      // The site was renamed or moved: the organization keeps its own name (an admin may have
      // changed it) and follows the site's details.
      await trx
        .updateTable("organizations")
        .set({
          atlassian_site_url: site.url,
          atlassian_site_name: site.name,
          atlassian_site_avatar_url: site.avatar_url,
          updated_at: now,
        })
        .where("id", "=", org.id)
        .execute();
      await emitOrganizationEvent(trx, instance.id, org.id, "organization.updated", now);
    }
    const member = await trx
      .selectFrom("organization_memberships")
      .select("id")
      .where("organization_id", "=", org.id)
      .where("user_id", "=", userId)
      .executeTakeFirst();
    if (member) continue;
    const anyone = await trx
      .selectFrom("organization_memberships")
      .select("id")
      .where("organization_id", "=", org.id)
      .executeTakeFirst();
    await trx
      .insertInto("organization_memberships")
      .values({
        id: newId("orgmem"),
        instance_id: instance.id,
        organization_id: org.id,
        user_id: userId,
        role: anyone ? "org:member" : "org:admin",
        source: "atlassian_site",
        public_metadata: "{}",
        private_metadata: "{}",
        created_at: now,
        updated_at: now,
      })
      .execute();
    await emitMembershipEvent(trx, instance.id, org.id, userId, "organizationMembership.created", now);
  }

  // Site memberships whose site no grant of the user reaches (or the instance no longer allows) end.
  let siteMemberships = trx
    .selectFrom("organization_memberships")
    .innerJoin("organizations", "organizations.id", "organization_memberships.organization_id")
    .select("organization_memberships.id")
    .where("organization_memberships.instance_id", "=", instance.id)
    .where("organization_memberships.user_id", "=", userId)
    .where("organization_memberships.source", "=", "atlassian_site");
  if (cloudIds.length > 0) {
    siteMemberships = siteMemberships.where((eb) =>
      eb.or([
        eb("organizations.atlassian_cloud_id", "is", null),
        eb("organizations.atlassian_cloud_id", "not in", cloudIds),
      ]),
    );
  }
  const ended = await siteMemberships.select("organization_memberships.organization_id").execute();
  if (ended.length > 0) {
    for (const m of ended) {
      const json = await membershipJsonOf(trx, instance.id, m.organization_id, userId);
      if (json) await emitMembershipDeleted(trx, instance.id, json, now);
    }
    await trx
      .deleteFrom("organization_memberships")
      .where(
        "id",
        "in",
        ended.map((m) => m.id),
      )
      .execute();
    await clearActiveOrganization(
      trx,
      instance.id,
      userId,
      ended.map((m) => m.organization_id),
    );
  }
}

/**
 * The organization of the site the user picked last (the external account's
 * `last_added_site_id`), if the user is a member of it: the session's active organization
 * after a consent.
 */
export async function pickedSiteOrganization(
  db: Kysely<Database>,
  instance: Instance,
  userId: string,
  atlassianAccountId: string,
): Promise<string | undefined> {
  if (instance.organizations_from_sites !== "auto") return undefined;
  const row = await db
    .selectFrom("external_accounts")
    .innerJoin("organizations", (join) =>
      join
        .onRef("organizations.atlassian_cloud_id", "=", "external_accounts.last_added_site_id")
        .onRef("organizations.instance_id", "=", "external_accounts.instance_id"),
    )
    .innerJoin("organization_memberships", (join) =>
      join
        .onRef("organization_memberships.organization_id", "=", "organizations.id")
        .onRef("organization_memberships.user_id", "=", "external_accounts.user_id"),
    )
    .select("organizations.id")
    .where("external_accounts.instance_id", "=", instance.id)
    .where("external_accounts.user_id", "=", userId)
    .where("external_accounts.provider", "=", "oauth_atlassian")
    .where("external_accounts.provider_user_id", "=", atlassianAccountId)
    .executeTakeFirst();
  return row?.id;
}
