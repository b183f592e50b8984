/** API reference entries of `applications.ts` (paths relative to its router, mounted at /platform/v1/applications). */
import {
  applicationJsonSchema,
  instanceJsonSchema,
  secretKeyJsonSchema,
} from "../../instances/instance-json-schema.js";
import { deletedObjectJsonSchema, paginated } from "../reference/envelope-schemas.js";
import type { RouteDoc } from "../reference/route-doc.js";
import { applicationNameBody, createInstanceBody } from "./applications.js";

const application = {
  status: 200,
  description: "The application with its instances.",
  schema: applicationJsonSchema,
};

export const applicationRouteDocs: RouteDoc[] = [
  {
    method: "post",
    path: "/",
    summary: "Create an application",
    description: "With its development instance, a secret key and a signing key.",
    body: applicationNameBody,
    response: { ...application, status: 201 },
  },
  {
    method: "get",
    path: "/",
    summary: "List applications",
    response: { status: 200, description: "Every application.", schema: paginated(applicationJsonSchema) },
  },
  {
    method: "get",
    path: "/:id",
    summary: "Get an application",
    response: application,
    errors: ["resource_not_found"],
  },
  {
    method: "patch",
    path: "/:id",
    summary: "Rename an application",
    body: applicationNameBody,
    response: application,
    errors: ["resource_not_found"],
  },
  {
    method: "delete",
    path: "/:id",
    summary: "Delete an application",
    description: "With its instances and everything they own: users, sessions, keys.",
    response: {
      status: 200,
      description: "The deleted object (`object: application`).",
      schema: deletedObjectJsonSchema,
    },
    errors: ["resource_not_found"],
  },
  {
    method: "post",
    path: "/:id/instances",
    summary: "Create the production instance",
    description:
      "At most one per application; its Frontend API URL must be https (loopback http for trials).",
    body: createInstanceBody,
    response: {
      status: 201,
      description:
        "The new instance with its first secret key: the only answer that carries a production key in full.",
      schema: instanceJsonSchema.extend({ secret_key: secretKeyJsonSchema }),
    },
    errors: ["resource_not_found", "instance_environment_exists", "frontend_api_url_taken"],
  },
];
