/** API reference entries of `oauth-applications.ts` (paths relative to its router, mounted at /platform/v1/instances). */
import {
  oauthApplicationJsonSchema,
  oauthGrantJsonSchema,
} from "../../authorization-server/oauth-json-schema.js";
import { deletedObjectJsonSchema, paginated } from "../reference/envelope-schemas.js";
import type { RouteDoc } from "../reference/route-doc.js";
import { createOAuthApplicationBody } from "./oauth-applications.js";

export const oauthApplicationRouteDocs: RouteDoc[] = [
  {
    method: "get",
    path: "/:id/oauth_applications",
    summary: "List OAuth applications",
    response: {
      status: 200,
      description: "The instance's pre-registered clients, oldest first (never their secrets).",
      schema: paginated(oauthApplicationJsonSchema),
    },
    errors: ["resource_not_found"],
  },
  {
    method: "post",
    path: "/:id/oauth_applications",
    summary: "Create an OAuth application",
    description:
      "A client of the instance's authorization server. A confidential client's `client_secret` is in this answer only; a public one (`public: true`) has none. Every client uses PKCE (S256).",
    body: createOAuthApplicationBody,
    response: {
      status: 201,
      description: "The client, with its secret if it has one.",
      schema: oauthApplicationJsonSchema,
    },
    errors: ["resource_not_found", "oauth_redirect_uri_invalid", "oauth_application_limit_reached"],
  },
  {
    method: "delete",
    path: "/:id/oauth_applications/:appId",
    summary: "Delete an OAuth application",
    description: "Its grants, codes and refresh tokens go with it.",
    response: { status: 200, description: "The deleted object.", schema: deletedObjectJsonSchema },
    errors: ["resource_not_found"],
  },
  {
    method: "get",
    path: "/:id/oauth_grants",
    summary: "List OAuth grants",
    description: "The approvals users gave clients (at most 500, newest first).",
    response: { status: 200, description: "The grants.", schema: paginated(oauthGrantJsonSchema) },
    errors: ["resource_not_found"],
  },
  {
    method: "delete",
    path: "/:id/oauth_grants/:grantId",
    summary: "Revoke an OAuth grant",
    description:
      "Removes one grant with every code and token issued under it: its refresh tokens are refused at once, its access tokens (JWTs, an hour) end at their expiry. The user's other grants stay.",
    response: { status: 200, description: "The deleted object.", schema: deletedObjectJsonSchema },
    errors: ["resource_not_found"],
  },
];
