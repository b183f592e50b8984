/** API reference entries of `instances.ts` (paths relative to its router, mounted at /platform/v1/instances). */
import { z } from "zod";
import { instanceJsonSchema, secretKeyJsonSchema } from "../../instances/instance-json-schema.js";
import { deletedObjectJsonSchema, paginated } from "../reference/envelope-schemas.js";
import type { RouteDoc } from "../reference/route-doc.js";
import { createSecretKeyBody, instancePatchBody } from "./instances.js";

const instance = {
  status: 200,
  description: "The instance.",
  schema: instanceJsonSchema,
  headers: { ETag: "The settings' version, for If-Match on the next PATCH." },
};

export const instanceRouteDocs: RouteDoc[] = [
  {
    method: "get",
    path: "/:id",
    summary: "Get an instance",
    response: instance,
    errors: ["resource_not_found"],
  },
  {
    method: "patch",
    path: "/:id",
    summary: "Update an instance's settings",
    description:
      "Allowed origins, the after-sign-in URL and session lifetimes; the fields given are replaced.",
    body: instancePatchBody,
    headers: {
      "If-Match": z
        .string()
        .optional()
        .describe(
          "The ETag of the GET this save is based on; stale: 412 `resource_version_conflict`, nothing written.",
        ),
    },
    response: instance,
    errors: ["resource_not_found", "resource_version_conflict"],
  },
  {
    method: "get",
    path: "/:id/secret_keys",
    summary: "List secret keys",
    response: {
      status: 200,
      description: "The instance's secret keys, oldest first.",
      schema: paginated(secretKeyJsonSchema),
    },
    errors: ["resource_not_found"],
  },
  {
    method: "post",
    path: "/:id/secret_keys",
    summary: "Create a secret key",
    body: createSecretKeyBody,
    response: { status: 201, description: "The new key.", schema: secretKeyJsonSchema },
    errors: ["resource_not_found"],
  },
  {
    method: "delete",
    path: "/:id/secret_keys/:keyId",
    summary: "Revoke a secret key",
    response: {
      status: 200,
      description: "The deleted object (`object: secret_key`).",
      schema: deletedObjectJsonSchema,
    },
    errors: ["resource_not_found", "secret_key_last"],
  },
  {
    method: "get",
    path: "/:id/public_key",
    summary: "The active signing key's public key",
    response: {
      status: 200,
      description: "PEM, for verifying session tokens without the JWKS.",
      schema: z.object({ object: z.literal("public_key"), pem: z.string() }),
    },
    errors: ["resource_not_found"],
  },
  {
    method: "post",
    path: "/:id/signing_keys/rotate",
    summary: "Rotate the signing key",
    description:
      "New session tokens are signed with a new key; the old one stays in the JWKS so tokens already issued still verify.",
    response: {
      status: 201,
      description: "The new key's id.",
      schema: z.object({ object: z.literal("signing_key"), kid: z.string() }),
    },
    errors: ["resource_not_found"],
  },
];
