import type {
  CreateOrganizationMembershipParams,
  CreateOrganizationParams,
  OrganizationListParams,
  OrganizationRole,
  PaginatedResponseJSON,
  UpdateOrganizationMetadataParams,
  UpdateOrganizationParams,
} from "@foyer/contract";
import { type Requester, toPage } from "./request.js";
import type { DeletedObject, Organization, OrganizationMembership, Page } from "./types.js";

export type {
  CreateOrganizationMembershipParams,
  CreateOrganizationParams,
  OrganizationListParams,
  UpdateOrganizationMetadataParams,
  UpdateOrganizationParams,
};

const id = (value: string) => encodeURIComponent(value);

/** `/v1/organizations…`, in Clerk's paths, shapes and method names. */
export function organizationsApi(request: Requester) {
  const memberships = (organizationId: string) => `/organizations/${id(organizationId)}/memberships`;
  return {
    /** One page of organizations, newest first, and how many match. */
    async getOrganizationList(params: OrganizationListParams = {}): Promise<Page<Organization>> {
      return toPage(
        await request<PaginatedResponseJSON<Organization>>("GET", "/organizations", { query: { ...params } }),
      );
    },
    /** With `created_by`, that user becomes the first `org:admin`. */
    createOrganization: (params: CreateOrganizationParams) =>
      request<Organization>("POST", "/organizations", { body: params }),
    /** By id (`org_…`) or slug. */
    getOrganization: (organizationIdOrSlug: string) =>
      request<Organization>("GET", `/organizations/${id(organizationIdOrSlug)}`),
    updateOrganization: (organizationId: string, params: UpdateOrganizationParams) =>
      request<Organization>("PATCH", `/organizations/${id(organizationId)}`, { body: params }),
    /** Deep-merges into the stored metadata; `null` removes a key at any level. */
    updateOrganizationMetadata: (organizationId: string, params: UpdateOrganizationMetadataParams) =>
      request<Organization>("PATCH", `/organizations/${id(organizationId)}/metadata`, { body: params }),
    /**
     * Uploads the organization's logo (PNG, JPEG, GIF or WebP, at most 1 MB), replacing any;
     * `image_url` then serves it. Clerk's `updateOrganizationLogo`.
     */
    updateOrganizationLogo(organizationId: string, params: { file: Blob; uploader_user_id?: string }) {
      const form = new FormData();
      form.append("file", params.file);
      if (params.uploader_user_id) form.append("uploader_user_id", params.uploader_user_id);
      return request<Organization>("PUT", `/organizations/${id(organizationId)}/logo`, { form });
    },
    /** Removes the logo (a site organization shows its site's avatar again). */
    deleteOrganizationLogo: (organizationId: string) =>
      request<Organization>("DELETE", `/organizations/${id(organizationId)}/logo`),
    deleteOrganization: (organizationId: string) =>
      request<DeletedObject>("DELETE", `/organizations/${id(organizationId)}`),
    async getOrganizationMembershipList(
      organizationId: string,
      params: { limit?: number; offset?: number } = {},
    ): Promise<Page<OrganizationMembership>> {
      return toPage(
        await request<PaginatedResponseJSON<OrganizationMembership>>("GET", memberships(organizationId), {
          query: { ...params },
        }),
      );
    },
    createOrganizationMembership: (organizationId: string, params: CreateOrganizationMembershipParams) =>
      request<OrganizationMembership>("POST", memberships(organizationId), { body: params }),
    updateOrganizationMembership: (organizationId: string, userId: string, role: OrganizationRole) =>
      request<OrganizationMembership>("PATCH", `${memberships(organizationId)}/${id(userId)}`, {
        body: { role },
      }),
    /** Answers the membership as it was. */
    deleteOrganizationMembership: (organizationId: string, userId: string) =>
      request<OrganizationMembership>("DELETE", `${memberships(organizationId)}/${id(userId)}`),
  };
}
