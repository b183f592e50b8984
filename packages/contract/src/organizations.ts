/**
 * Organizations and their memberships, in Clerk's Backend API shapes (compare `OrganizationJSON`
 * and `OrganizationMembershipJSON` in `@clerk/backend`'s api/resources/JSON.ts), plus Foyer's
 * Atlassian addition: the site an organization stands for. Times in milliseconds since the epoch.
 */

/** The two roles Foyer knows (Clerk's default role set). */
export type OrganizationRole = "org:admin" | "org:member";

/** The Atlassian site an organization stands for (Foyer). Bound by cloud id, never by URL or name. */
export interface OrganizationAtlassianSiteJSON {
  cloud_id: string;
  url: string;
  name: string;
  avatar_url: string | null;
}

export interface OrganizationJSON {
  object: "organization";
  id: string;
  name: string;
  slug: string;
  /** The uploaded logo (`PUT /v1/organizations/{id}/logo`), else a site organization's site avatar, else "". */
  image_url: string;
  has_image: boolean;
  members_count: number;
  /** 0: no limit. */
  max_allowed_memberships: number;
  admin_delete_enabled: boolean;
  public_metadata: Record<string, unknown>;
  private_metadata: Record<string, unknown>;
  created_by: string | null;
  /** Set when the organization was made for an Atlassian site (`organizations_from_sites`). */
  atlassian_site: OrganizationAtlassianSiteJSON | null;
  created_at: number;
  updated_at: number;
}

/** The member as Clerk's `public_user_data` names them. */
export interface OrganizationMembershipPublicUserDataJSON {
  user_id: string;
  first_name: string | null;
  last_name: string | null;
  image_url: string;
  has_image: boolean;
  /** The primary email address, else the username, else "". */
  identifier: string;
}

export interface OrganizationMembershipJSON {
  object: "organization_membership";
  id: string;
  role: OrganizationRole;
  /** Clerk's system permissions of the role. */
  permissions: string[];
  public_metadata: Record<string, unknown>;
  private_metadata: Record<string, unknown>;
  organization: OrganizationJSON;
  public_user_data: OrganizationMembershipPublicUserDataJSON;
  created_at: number;
  updated_at: number;
}

/** `POST /v1/organizations`. */
export interface CreateOrganizationParams {
  name: string;
  /** Lower-case letters, digits and dashes; made from the name when absent. */
  slug?: string;
  /** A user of the instance: becomes the organization's first `org:admin`. */
  created_by?: string;
  max_allowed_memberships?: number;
  public_metadata?: Record<string, unknown>;
  private_metadata?: Record<string, unknown>;
}

/** `PATCH /v1/organizations/{id}`: the fields given replace the stored ones. */
export interface UpdateOrganizationParams {
  name?: string;
  slug?: string;
  max_allowed_memberships?: number;
  admin_delete_enabled?: boolean;
  public_metadata?: Record<string, unknown>;
  private_metadata?: Record<string, unknown>;
}

/**
 * `PATCH /v1/organizations/{id}/metadata`: deep-merged into the stored metadata (nested objects
 * merge, anything else replaces, `null` removes the key at any level).
 */
export interface UpdateOrganizationMetadataParams {
  public_metadata?: Record<string, unknown>;
  private_metadata?: Record<string, unknown>;
}

/** `GET /v1/organizations`. */
export interface OrganizationListParams {
  limit?: number;
  offset?: number;
  /** Exact id, or part of the name or slug. */
  query?: string;
}

/** `POST /v1/organizations/{id}/memberships`. */
export interface CreateOrganizationMembershipParams {
  user_id: string;
  role: OrganizationRole;
  public_metadata?: Record<string, unknown>;
  private_metadata?: Record<string, unknown>;
}

/** An organization as the browser sees it (Frontend API): never private_metadata. */
export type FrontendOrganizationJSON = Omit<OrganizationJSON, "private_metadata">;

/**
 * One of the signed-in user's memberships as `GET <fapi>/v1/me/organization_memberships` lists
 * them: Clerk's shape without private_metadata (the membership's or the organization's).
 */
export interface FrontendOrganizationMembershipJSON
  extends Omit<OrganizationMembershipJSON, "private_metadata" | "organization"> {
  organization: FrontendOrganizationJSON;
}
