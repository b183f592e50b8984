/** API reference entries of `organizations.ts` (paths relative to its router, mounted at /platform/v1/instances). */
import {
  organizationJsonSchema,
  organizationMembershipJsonSchema,
  siteBackfillStatusJsonSchema,
} from "../../organizations/organization-json-schema.js";
import {
  createMembershipBody,
  createOrganizationBody,
  organizationListQuerySchema,
  pageQuerySchema,
  updateMembershipBody,
  updateOrganizationBody,
} from "../../organizations/organization-params.js";
import { deletedObjectJsonSchema, paginated } from "../reference/envelope-schemas.js";
import type { RouteDoc } from "../reference/route-doc.js";

const organization = { status: 200, description: "The organization.", schema: organizationJsonSchema };
const membership = { status: 200, description: "The membership.", schema: organizationMembershipJsonSchema };
const same = (route: string) => `The same as the Backend API's \`${route}\`, with the same events.`;

export const platformOrganizationRouteDocs: RouteDoc[] = [
  {
    method: "get",
    path: "/:id/organizations",
    summary: "List an instance's organizations",
    description: "Newest first; the same answer as the Backend API's `GET /v1/organizations`.",
    query: organizationListQuerySchema,
    response: {
      status: 200,
      description: "A page of organizations and how many match.",
      schema: paginated(organizationJsonSchema),
    },
    errors: ["resource_not_found"],
  },
  {
    method: "post",
    path: "/:id/organizations",
    summary: "Create an organization",
    description: `${same("POST /v1/organizations")} With \`created_by\`, that user is its first \`org:admin\`.`,
    body: createOrganizationBody,
    response: { ...organization, status: 201 },
    errors: ["resource_not_found", "organization_slug_taken"],
  },
  {
    method: "get",
    path: "/:id/organizations/:org",
    summary: "Get an organization",
    description: "By id (`org_…`) or slug.",
    response: organization,
    errors: ["resource_not_found"],
  },
  {
    method: "patch",
    path: "/:id/organizations/:org",
    summary: "Update an organization",
    description: same("PATCH /v1/organizations/{id}"),
    body: updateOrganizationBody,
    response: organization,
    errors: ["resource_not_found", "organization_slug_taken"],
  },
  {
    method: "delete",
    path: "/:id/organizations/:org",
    summary: "Delete an organization",
    description: `${same("DELETE /v1/organizations/{id}")} A site organization is made again the next time a member's grant covers the site.`,
    response: {
      status: 200,
      description: "The deleted object (`object: organization`).",
      schema: deletedObjectJsonSchema,
    },
    errors: ["resource_not_found"],
  },
  {
    method: "get",
    path: "/:id/organizations/:org/memberships",
    summary: "List an organization's members",
    description: "By organization id or slug; newest first; `limit` 1 to 500 (default 10) and `offset`.",
    query: pageQuerySchema,
    response: {
      status: 200,
      description: "A page of memberships and how many there are.",
      schema: paginated(organizationMembershipJsonSchema),
    },
    errors: ["resource_not_found"],
  },
  {
    method: "post",
    path: "/:id/organizations/:org/memberships",
    summary: "Add a member",
    description: same("POST /v1/organizations/{id}/memberships"),
    body: createMembershipBody,
    response: { ...membership, status: 201 },
    errors: ["resource_not_found", "organization_membership_exists", "organization_membership_limit_reached"],
  },
  {
    method: "patch",
    path: "/:id/organizations/:org/memberships/:userId",
    summary: "Change a member's role",
    description: same("PATCH /v1/organizations/{id}/memberships/{user_id}"),
    body: updateMembershipBody,
    response: membership,
    errors: ["resource_not_found"],
  },
  {
    method: "delete",
    path: "/:id/organizations/:org/memberships/:userId",
    summary: "Remove a member",
    description: same("DELETE /v1/organizations/{id}/memberships/{user_id}"),
    response: { ...membership, description: "The membership as it was." },
    errors: ["resource_not_found"],
  },
  {
    method: "get",
    path: "/:id/site_organization_backfill",
    summary: "Where the site organization backfill stands",
    description:
      "After `organizations_from_sites` turns on, a background job binds the sites of users who signed in before, in batches: `running` with how many users are done, or `idle`.",
    response: { status: 200, description: "The backfill's state.", schema: siteBackfillStatusJsonSchema },
    errors: ["resource_not_found"],
  },
];
