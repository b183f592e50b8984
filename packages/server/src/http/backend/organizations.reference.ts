/** API reference entries of `organizations.ts` (paths relative to its router, mounted at /v1). */
import {
  organizationJsonSchema,
  organizationMembershipJsonSchema,
} from "../../organizations/organization-json-schema.js";
import {
  createMembershipBody,
  createOrganizationBody,
  organizationListQuerySchema,
  organizationMetadataBody,
  pageQuerySchema,
  updateMembershipBody,
  updateOrganizationBody,
} from "../../organizations/organization-params.js";
import { deletedObjectJsonSchema, paginated } from "../reference/envelope-schemas.js";
import type { RouteDoc } from "../reference/route-doc.js";

const organization = { status: 200, description: "The organization.", schema: organizationJsonSchema };
const membership = { status: 200, description: "The membership.", schema: organizationMembershipJsonSchema };
const memberships = {
  status: 200,
  description: "A page of memberships, newest first, and how many there are.",
  schema: paginated(organizationMembershipJsonSchema),
};

export const organizationRouteDocs: RouteDoc[] = [
  {
    method: "get",
    path: "/organizations",
    summary: "List organizations",
    description: "Newest first.",
    query: organizationListQuerySchema,
    response: {
      status: 200,
      description: "A page of organizations and how many match.",
      schema: paginated(organizationJsonSchema),
    },
  },
  {
    method: "post",
    path: "/organizations",
    summary: "Create an organization",
    description:
      "The slug is made from the name when not given. With `created_by`, that user becomes its first `org:admin`.",
    body: createOrganizationBody,
    response: organization,
    errors: ["organization_slug_taken", "resource_not_found"],
  },
  {
    method: "get",
    path: "/organizations/:org",
    summary: "Get an organization",
    description: "By id (`org_…`) or slug.",
    response: organization,
    errors: ["resource_not_found"],
  },
  {
    method: "patch",
    path: "/organizations/:org",
    summary: "Update an organization",
    description: "Replaces the fields given.",
    body: updateOrganizationBody,
    response: organization,
    errors: ["resource_not_found", "organization_slug_taken"],
  },
  {
    method: "patch",
    path: "/organizations/:org/metadata",
    summary: "Merge an organization's metadata",
    description:
      "Deep merge into the stored `public_metadata` and `private_metadata`: nested objects merge, anything else replaces, `null` removes the key at any level. At most 8 KiB of JSON each, after the merge.",
    body: organizationMetadataBody,
    response: organization,
    errors: ["resource_not_found", "form_param_invalid"],
  },
  {
    method: "put",
    path: "/organizations/:org/logo",
    summary: "Upload an organization's logo",
    description:
      "`multipart/form-data` with the image in `file`: PNG, JPEG, GIF or WebP (read from the bytes, not the file name or its claimed type), at most 1 MB. Replaces any logo; `image_url` then points at Foyer's `/organization_logos/{id}`, a public URL that always serves these bytes.",
    multipart: {
      required: ["file"],
      fields: {
        file: { description: "The image.", binary: true },
        uploader_user_id: { description: "The user credited with the upload (a user of this instance)." },
      },
    },
    response: organization,
    errors: [
      "resource_not_found",
      "organization_logo_too_large",
      "organization_logo_unsupported",
      "form_param_missing",
      "unsupported_media_type",
    ],
  },
  {
    method: "delete",
    path: "/organizations/:org/logo",
    summary: "Delete an organization's logo",
    description:
      "`has_image` is then false, except for a site organization, which shows its Atlassian site's avatar.",
    response: organization,
    errors: ["resource_not_found"],
  },
  {
    method: "delete",
    path: "/organizations/:org",
    summary: "Delete an organization",
    description:
      "With its memberships. A site organization is made again the next time a member's grant covers the site.",
    response: {
      status: 200,
      description: "The deleted object (`object: organization`).",
      schema: deletedObjectJsonSchema,
    },
    errors: ["resource_not_found"],
  },
  {
    method: "get",
    path: "/organizations/:org/memberships",
    summary: "List an organization's memberships",
    query: pageQuerySchema,
    response: memberships,
    errors: ["resource_not_found"],
  },
  {
    method: "post",
    path: "/organizations/:org/memberships",
    summary: "Add a member",
    body: createMembershipBody,
    response: membership,
    errors: ["resource_not_found", "organization_membership_exists", "organization_membership_limit_reached"],
  },
  {
    method: "patch",
    path: "/organizations/:org/memberships/:userId",
    summary: "Change a member's role",
    body: updateMembershipBody,
    response: membership,
    errors: ["resource_not_found"],
  },
  {
    method: "delete",
    path: "/organizations/:org/memberships/:userId",
    summary: "Remove a member",
    response: { ...membership, description: "The membership as it was." },
    errors: ["resource_not_found"],
  },
  {
    method: "get",
    path: "/users/:userId/organization_memberships",
    summary: "List a user's organization memberships",
    query: pageQuerySchema,
    response: memberships,
    errors: ["resource_not_found"],
  },
];
