/**
 * The Backend API's reference (`GET /v1/openapi.json`): every route app.ts serves under /v1,
 * mounted as app.ts mounts them. `reference-drift.test.ts` fails when a route is missing here.
 */
import {
  organizationAtlassianSiteJsonSchema,
  organizationJsonSchema,
  organizationMembershipJsonSchema,
} from "../../organizations/organization-json-schema.js";
import { backendSessionJsonSchema } from "../../sessions/session-json-schema.js";
import {
  oauthAccessTokenErrorJsonSchema,
  oauthAccessTokenOkJsonSchema,
  oauthAccessTokenSiteJsonSchema,
} from "../../tokens/oauth-access-token-json-schema.js";
import {
  atlassianSiteJsonSchema,
  backendUserJsonSchema,
  emailAddressJsonSchema,
  externalAccountJsonSchema,
} from "../../users/user-json-schema.js";
import { deletedObjectJsonSchema, jwkJsonSchema } from "../reference/envelope-schemas.js";
import type { ApiReference } from "../reference/openapi-document.js";
import { mounted, type RouteDoc } from "../reference/route-doc.js";
import { jwksRouteDocs } from "./jwks.reference.js";
import { oauthAccessTokenRouteDocs } from "./oauth-access-tokens.reference.js";
import { organizationRouteDocs } from "./organizations.reference.js";
import { sessionRouteDocs } from "./sessions.reference.js";
import { userRouteDocs } from "./users.reference.js";

/** Routes app.ts registers itself under /v1, before the secret-key check. */
const publicRouteDocs: RouteDoc[] = [
  {
    method: "get",
    path: "/openapi.json",
    summary: "This document",
    public: true,
    response: { status: 200, description: "The Backend API's OpenAPI 3.1 document." },
  },
  {
    method: "get",
    path: "/oauth_callback",
    summary: "Atlassian's redirect back (browsers only)",
    description:
      "The shared Authorized redirect URI of development instances: Atlassian sends the browser here with `code` and `state`. Apps never call it. It always answers with a redirect or, when the sign-in cannot go on, an HTML error page.",
    public: true,
    response: { status: 303, description: "On to the app (or the hosted page that tells what went wrong)." },
  },
];

export const backendReference: ApiReference = {
  title: "Foyer Backend API",
  description:
    "For app servers: users, sessions, organizations, the JWKS and fresh Atlassian access tokens, in Clerk's shapes. Every request carries the instance's secret key; the key alone selects the instance. Times are milliseconds since the epoch unless a field says otherwise. Every non-2xx answer has the body `{ errors: [{ code, message, long_message, meta }] }` with a code of the catalogue (docs/errors.md).",
  basePath: "/v1",
  securityScheme: {
    name: "secretKey",
    bearerFormat: "sk_test_… / sk_live_…",
    description:
      "The instance's secret key, as `Authorization: Bearer sk_…` (never in a query string or body).",
  },
  commonErrors: [
    "request_characters_invalid",
    "secret_key_invalid",
    "rate_limited",
    "internal_error",
    "database_unavailable",
  ],
  components: {
    User: backendUserJsonSchema,
    EmailAddress: emailAddressJsonSchema,
    ExternalAccount: externalAccountJsonSchema,
    AtlassianSite: atlassianSiteJsonSchema,
    Session: backendSessionJsonSchema,
    OAuthAccessToken: oauthAccessTokenOkJsonSchema,
    OAuthAccessTokenError: oauthAccessTokenErrorJsonSchema,
    OAuthAccessTokenSite: oauthAccessTokenSiteJsonSchema,
    Organization: organizationJsonSchema,
    OrganizationMembership: organizationMembershipJsonSchema,
    OrganizationAtlassianSite: organizationAtlassianSiteJsonSchema,
    DeletedObject: deletedObjectJsonSchema,
    Jwk: jwkJsonSchema,
  },
  routes: [
    ...mounted("/", "Reference", publicRouteDocs),
    ...mounted("/", "JWKS", jwksRouteDocs),
    ...mounted("/", "Atlassian access tokens", oauthAccessTokenRouteDocs),
    ...mounted("/", "Users", userRouteDocs),
    ...mounted("/", "Sessions", sessionRouteDocs),
    ...mounted("/", "Organizations", organizationRouteDocs),
  ],
};
