/**
 * One item of the Backend API's Atlassian access-token answer as zod schemas for the API
 * reference, held equal to the contract's types (an account with a token, or one with its error).
 */
import type {
  OAuthAccessTokenErrorJSON,
  OAuthAccessTokenOkJSON,
  OAuthAccessTokenSiteJSON,
} from "@foyer/contract";
import { z } from "zod";
import { errorEntryJsonSchema } from "../errors/error-json-schema.js";
import type { SameShape } from "../same-shape.js";
import {
  atlassianSiteJsonSchema,
  externalAccountStatusSchema,
  reauthorizationReasonSchema,
} from "../users/user-json-schema.js";

export const oauthAccessTokenSiteJsonSchema = atlassianSiteJsonSchema.extend({
  cloud_id: z.string().describe("The same as `id`, under Atlassian's name for it."),
  api_base_urls: z
    .object({ jira: z.string(), confluence: z.string() })
    .describe("Where to send the token for this site (api.atlassian.com/ex/{product}/{cloudid})."),
});

const accountFields = {
  object: z.literal("oauth_access_token"),
  external_account_id: z.string(),
  provider_user_id: z.string(),
  provider: z.literal("oauth_atlassian"),
  scopes: z.array(z.string()),
  label: z.string().nullable(),
  public_metadata: z.record(z.string(), z.unknown()),
  status: externalAccountStatusSchema,
};

export const oauthAccessTokenOkJsonSchema = z.object({
  ...accountFields,
  token: z
    .string()
    .describe("The Atlassian access token: send it as `Authorization: Bearer` to the sites' API base URLs."),
  expires_at: z.number().int().describe("Unix seconds, as Clerk serves it."),
  expires_at_ms: z.number().int().describe("The same instant in milliseconds."),
  sites: z
    .array(oauthAccessTokenSiteJsonSchema)
    .describe("The sites the token reaches now (never a lost one)."),
  reauthorization_reason: z.never().optional(),
  error: z.never().optional(),
});

export const oauthAccessTokenErrorJsonSchema = z.object({
  ...accountFields,
  token: z.null(),
  reauthorization_reason: reauthorizationReasonSchema.nullable(),
  error: errorEntryJsonSchema.describe("Why this account gave no token (the others may have)."),
});

export const oauthAccessTokenJsonSchema = z.union([
  oauthAccessTokenOkJsonSchema,
  oauthAccessTokenErrorJsonSchema,
]);

export const oauthAccessTokenSchemasMatchContract: [
  SameShape<z.infer<typeof oauthAccessTokenSiteJsonSchema>, OAuthAccessTokenSiteJSON>,
  SameShape<z.infer<typeof oauthAccessTokenOkJsonSchema>, OAuthAccessTokenOkJSON>,
  SameShape<z.infer<typeof oauthAccessTokenErrorJsonSchema>, OAuthAccessTokenErrorJSON>,
] = [true, true, true];
