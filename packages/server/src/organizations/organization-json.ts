/**
 * Organizations and memberships as the Backend API serves them: Clerk's shapes (the contract's
 * types are the serializers' return types) plus the Atlassian site of a site organization.
 */
import type {
  OrganizationJSON,
  OrganizationMembershipJSON,
  OrganizationMembershipPublicUserDataJSON,
  OrganizationRole,
} from "@foyer/contract";
import type { OrganizationMembershipTable, OrganizationTable } from "../db/schema.js";

/** An organization row with its member count (organizations.ts selects them together). */
export type OrganizationRow = OrganizationTable & { members_count: number };

/** Clerk's system permissions of its two default roles. */
const PERMISSIONS: Record<OrganizationRole, string[]> = {
  "org:admin": [
    "org:sys_profile:manage",
    "org:sys_profile:delete",
    "org:sys_memberships:read",
    "org:sys_memberships:manage",
    "org:sys_domains:read",
    "org:sys_domains:manage",
  ],
  "org:member": ["org:sys_memberships:read"],
};

export function organizationJson(row: OrganizationRow): OrganizationJSON {
  return {
    object: "organization",
    id: row.id,
    name: row.name,
    slug: row.slug,
    // An uploaded logo, else the site's avatar (which follows the site), else none.
    image_url: row.image_url ?? row.atlassian_site_avatar_url ?? "",
    has_image: Boolean(row.image_url ?? row.atlassian_site_avatar_url),
    members_count: Number(row.members_count),
    max_allowed_memberships: row.max_allowed_memberships,
    admin_delete_enabled: Boolean(row.admin_delete_enabled),
    public_metadata: JSON.parse(row.public_metadata) as Record<string, unknown>,
    private_metadata: JSON.parse(row.private_metadata) as Record<string, unknown>,
    created_by: row.created_by,
    atlassian_site: row.atlassian_cloud_id
      ? {
          cloud_id: row.atlassian_cloud_id,
          url: row.atlassian_site_url ?? "",
          name: row.atlassian_site_name ?? row.name,
          avatar_url: row.atlassian_site_avatar_url,
        }
      : null,
    created_at: Number(row.created_at),
    updated_at: Number(row.updated_at),
  };
}

/** The member's columns a membership shows (memberships.ts joins them). */
export interface MemberRow {
  user_id: string;
  first_name: string | null;
  last_name: string | null;
  image_url: string | null;
  username: string | null;
  email_address: string | null;
}

export function membershipJson(
  membership: OrganizationMembershipTable,
  organization: OrganizationRow,
  member: MemberRow,
): OrganizationMembershipJSON {
  const publicUserData: OrganizationMembershipPublicUserDataJSON = {
    user_id: member.user_id,
    first_name: member.first_name,
    last_name: member.last_name,
    image_url: member.image_url ?? "",
    has_image: Boolean(member.image_url),
    identifier: member.email_address ?? member.username ?? "",
  };
  return {
    object: "organization_membership",
    id: membership.id,
    role: membership.role,
    permissions: PERMISSIONS[membership.role],
    public_metadata: JSON.parse(membership.public_metadata) as Record<string, unknown>,
    private_metadata: JSON.parse(membership.private_metadata) as Record<string, unknown>,
    organization: organizationJson(organization),
    public_user_data: publicUserData,
    created_at: Number(membership.created_at),
    updated_at: Number(membership.updated_at),
  };
}
