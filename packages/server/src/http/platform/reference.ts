/**
 * The Platform API's reference (`GET /platform/v1/openapi.json`): every route app.ts serves
 * under /platform/v1, mounted as app.ts mounts them. `reference-drift.test.ts` fails when a
 * route is missing here.
 */
import { socialConnectionJsonSchema } from "../../connections/connection-json-schema.js";
import { webhookAttemptJsonSchema, webhookEndpointJsonSchema } from "../../events/webhook-json-schema.js";
import {
  applicationJsonSchema,
  instanceJsonSchema,
  secretKeyJsonSchema,
} from "../../instances/instance-json-schema.js";
import { deletedObjectJsonSchema } from "../reference/envelope-schemas.js";
import type { ApiReference } from "../reference/openapi-document.js";
import { mounted, type RouteDoc } from "../reference/route-doc.js";
import { applicationRouteDocs } from "./applications.reference.js";
import { instanceRouteDocs } from "./instances.reference.js";
import { oauthApplicationRouteDocs } from "./oauth-applications.reference.js";
import { platformOrganizationRouteDocs } from "./organizations.reference.js";
import { socialConnectionRouteDocs } from "./social-connections.reference.js";
import { webhookEndpointRouteDocs } from "./webhook-endpoints.reference.js";

/** Registered by app.ts itself, before the platform-token check. */
const publicRouteDocs: RouteDoc[] = [
  {
    method: "get",
    path: "/openapi.json",
    summary: "This document",
    public: true,
    response: { status: 200, description: "The Platform API's OpenAPI 3.1 document." },
  },
];

export const platformReference: ApiReference = {
  title: "Foyer Platform API",
  description:
    "For the operator (the dashboard is a client of it): applications, their development and production instances, instance settings, secret keys, signing keys, the Atlassian connection, webhook endpoints and organizations. Every request carries the deployment's platform token (FOYER_PLATFORM_TOKEN). Times are milliseconds since the epoch. Every non-2xx answer has the body `{ errors: [{ code, message, long_message, meta }] }` with a code of the catalogue (docs/errors.md).",
  basePath: "/platform/v1",
  securityScheme: {
    name: "platformToken",
    bearerFormat: "platform token",
    description: "The deployment's platform token, as `Authorization: Bearer …`.",
  },
  commonErrors: [
    "request_characters_invalid",
    "platform_token_invalid",
    "rate_limited",
    "internal_error",
    "database_unavailable",
  ],
  components: {
    Application: applicationJsonSchema,
    Instance: instanceJsonSchema,
    SecretKey: secretKeyJsonSchema,
    SocialConnection: socialConnectionJsonSchema,
    WebhookEndpoint: webhookEndpointJsonSchema,
    WebhookAttempt: webhookAttemptJsonSchema,
    DeletedObject: deletedObjectJsonSchema,
  },
  routes: [
    ...mounted("/", "Reference", publicRouteDocs),
    ...mounted("/applications", "Applications", applicationRouteDocs),
    ...mounted("/instances", "Instances", instanceRouteDocs),
    ...mounted("/instances", "Social connections", socialConnectionRouteDocs),
    ...mounted("/instances", "Webhooks", webhookEndpointRouteDocs),
    ...mounted("/instances", "OAuth applications", oauthApplicationRouteDocs),
    ...mounted("/instances", "Organizations", platformOrganizationRouteDocs),
  ],
};
