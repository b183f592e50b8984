/**
 * The Platform API's instance, application and secret-key JSON as zod schemas for the API
 * reference. Their serializers have inferred types (no contract type yet), so the checks at the
 * bottom hold each schema equal to what the serializer returns.
 */
import { z } from "zod";
import type { SameShape } from "../same-shape.js";
import type { applicationJson } from "./applications.js";
import type { instanceJson } from "./instances.js";
import type { secretKeyJson } from "./secret-keys.js";

const ms = z.number().int().describe("Milliseconds since the epoch.");

export const instanceJsonSchema = z.object({
  object: z.literal("instance"),
  id: z.string(),
  application_id: z.string(),
  environment: z.enum(["development", "production"]),
  frontend_api_url: z
    .string()
    .describe("The instance's Frontend API base URL, encoded in its publishable key."),
  publishable_key: z.string().describe("`pk_test_…` or `pk_live_…`."),
  jwks_url: z.string(),
  sign_in_url: z.string().describe("The hosted sign-in page."),
  allowed_origins: z.array(z.string()).describe("Origins that may receive post-sign-in redirects."),
  after_sign_in_url: z.string().nullable(),
  session_max_lifetime_seconds: z.number().int(),
  session_inactivity_timeout_seconds: z.number().int().nullable(),
  reverification_max_age_seconds: z
    .number()
    .int()
    .describe(
      "Linking a new Atlassian account to a user needs a sign-in at most this many seconds old; " +
        "older, the connect ends with `reverification_required` and the user signs in again.",
    ),
  allowed_atlassian_sites: z
    .array(z.string())
    .describe(
      "Atlassian cloud ids and site URLs (normalised) whose people may sign up and sign in; the token answer lists only these sites. Empty: every site.",
    ),
  organizations_from_sites: z
    .enum(["off", "auto"])
    .describe(
      "`auto`: one organization per Atlassian site (by cloud id), its members the users whose grants cover the site.",
    ),
  oauth_resources: z
    .array(z.object({ resource: z.string(), name: z.string(), scopes: z.array(z.string()) }))
    .describe(
      "Resources (RFC 8707) the instance's authorization server issues access tokens for; a token's `aud` is one of these URLs exactly.",
    ),
  oauth_dynamic_client_registration: z
    .boolean()
    .describe(
      "Whether anyone may register an OAuth client at `<frontend_api_url>/oauth/register` (RFC 7591).",
    ),
  created_at: ms,
  updated_at: ms,
});

export const applicationJsonSchema = z.object({
  object: z.literal("application"),
  id: z.string(),
  name: z.string(),
  instances: z.array(instanceJsonSchema),
  created_at: ms,
  updated_at: ms,
});

/** The secret key as `POST`/`GET …/secret_keys` answer it: the route adds `object`. */
export const secretKeyJsonSchema = z.object({
  object: z.literal("secret_key"),
  id: z.string(),
  key_prefix: z.string().describe("`sk_live_` or `sk_test_` and the key's first characters."),
  last4: z.string().describe("The key's last four characters, to tell keys apart."),
  key: z
    .string()
    .optional()
    .describe(
      "`sk_test_…` or `sk_live_…`: send it as `Authorization: Bearer` to the Backend API. A production key " +
        "carries it only in the answer that creates it; development keys in every answer.",
    ),
  created_at: ms,
});

export const instanceSchemasMatchSerializers: [
  SameShape<z.infer<typeof instanceJsonSchema>, ReturnType<typeof instanceJson>>,
  SameShape<z.infer<typeof applicationJsonSchema>, Awaited<ReturnType<typeof applicationJson>>>,
  SameShape<z.infer<typeof secretKeyJsonSchema>, ReturnType<typeof secretKeyJson>>,
] = [true, true, true];
