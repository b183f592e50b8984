/** API reference entries of `organizations.ts` (paths relative to its router, mounted at /platform/v1/instances). */
import {
  organizationJsonSchema,
  organizationMembershipJsonSchema,
} from "../../organizations/organization-json-schema.js";
import { organizationListQuerySchema, pageQuerySchema } from "../../organizations/organization-params.js";
import { paginated } from "../reference/envelope-schemas.js";
import type { RouteDoc } from "../reference/route-doc.js";

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
    method: "get",
    path: "/:id/organizations/:org/memberships",
    summary: "List an organization's members",
    description: "By organization id or slug; newest first.",
    query: pageQuerySchema,
    response: {
      status: 200,
      description: "A page of memberships and how many there are.",
      schema: paginated(organizationMembershipJsonSchema),
    },
    errors: ["resource_not_found"],
  },
];
