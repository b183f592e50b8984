/** API reference entries of `social-connections.ts` (paths relative to its router, mounted at /platform/v1/instances). */
import { z } from "zod";
import { socialConnectionJsonSchema } from "../../connections/connection-json-schema.js";
import type { RouteDoc } from "../reference/route-doc.js";
import { patchBody } from "./social-connections.js";

const connection = {
  status: 200,
  description: "The instance's Atlassian connection.",
  schema: socialConnectionJsonSchema,
  headers: { ETag: "The connection's version, for If-Match on the next PATCH." },
};

export const socialConnectionRouteDocs: RouteDoc[] = [
  {
    method: "get",
    path: "/:id/social_connections/atlassian",
    summary: "Get the Atlassian connection",
    response: connection,
    errors: ["resource_not_found"],
  },
  {
    method: "patch",
    path: "/:id/social_connections/atlassian",
    summary: "Update the Atlassian connection",
    description:
      "The whole result is checked before anything is stored. The Client Secret is write-only; null clears it. Production instances and custom scopes need custom credentials.",
    body: patchBody,
    headers: {
      "If-Match": z
        .string()
        .optional()
        .describe(
          "The ETag of the GET this save is based on; stale: 412 `resource_version_conflict`, nothing written.",
        ),
    },
    response: connection,
    errors: [
      "resource_not_found",
      "resource_version_conflict",
      "atlassian_client_id_missing",
      "atlassian_client_secret_missing",
      "atlassian_custom_credentials_required",
      "atlassian_scope_invalid",
      "atlassian_redirect_uri_insecure",
    ],
  },
];
