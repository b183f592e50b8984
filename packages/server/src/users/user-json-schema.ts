/**
 * The user JSON of the Backend API as zod schemas, for the API reference. The serializers
 * declare the contract's types (`BackendUserJSON`, …); the checks at the bottom hold these
 * schemas equal to those types, so the reference cannot drift from what is served.
 */
import type {
  AtlassianSiteJSON,
  BackendUserJSON,
  EmailAddressJSON,
  ExternalAccountJSON,
} from "@foyer/contract";
import { z } from "zod";
import { errorCodeSchema } from "../errors/error-json-schema.js";
import type { SameShape } from "../same-shape.js";

const ms = z.number().int().describe("Milliseconds since the epoch.");
const metadata = z.record(z.string(), z.unknown());

export const externalAccountStatusSchema = z.enum(["active", "reauthorization_required"]);
export const reauthorizationReasonSchema = z.enum(["revoked", "idle_expired", "refresh_lost"]);

export const atlassianSiteJsonSchema = z.object({
  id: z.string().describe("The cloud id: the {cloudid} of https://api.atlassian.com/ex/jira/{cloudid}/…"),
  url: z.string().describe("The site's own URL, for links (not for API calls)."),
  name: z.string(),
  scopes: z.array(z.string()).describe("The scopes the grant holds on this site."),
  avatar_url: z.string().nullable(),
  status: z
    .enum(["accessible", "lost"])
    .describe("`lost` once Atlassian's accessible-resources stops listing the site."),
  lost_at: ms.nullable(),
});

export const emailAddressJsonSchema = z.object({
  object: z.literal("email_address"),
  id: z.string(),
  email_address: z.string(),
  verification: z.object({ status: z.enum(["verified", "unverified"]), strategy: z.string() }),
  linked_to: z.array(z.object({ type: z.string(), id: z.string() })),
  created_at: ms,
});

export const externalAccountJsonSchema = z.object({
  object: z.literal("external_account"),
  id: z.string(),
  provider: z.literal("oauth_atlassian"),
  identification_id: z.string(),
  provider_user_id: z.string().describe("The Atlassian account_id."),
  approved_scopes: z.string().describe("Space-separated, as Atlassian grants them."),
  email_address: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  image_url: z.string(),
  username: z.string().nullable(),
  label: z.string().nullable(),
  public_metadata: metadata,
  verification: z.object({
    status: z.literal("verified"),
    strategy: z.string(),
    attempts: z.null(),
    expire_at: z.null(),
  }),
  status: externalAccountStatusSchema,
  sites: z.array(atlassianSiteJsonSchema),
  last_added_site_id: z.string().nullable(),
  access_token_expires_at: ms.nullable(),
  reauthorization_reason: reauthorizationReasonSchema.nullable(),
  last_refreshed_at: ms.nullable(),
  last_refresh_error: errorCodeSchema.nullable(),
  created_at: ms,
  updated_at: ms,
});

export const backendUserJsonSchema = z.object({
  object: z.literal("user"),
  id: z.string(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  username: z.string().nullable(),
  image_url: z.string(),
  has_image: z.boolean(),
  primary_email_address_id: z.string().nullable(),
  email_addresses: z.array(emailAddressJsonSchema),
  external_accounts: z.array(externalAccountJsonSchema),
  public_metadata: metadata,
  private_metadata: metadata,
  unsafe_metadata: metadata,
  locale: z.string().nullable(),
  last_sign_in_at: ms.nullable(),
  banned: z.boolean(),
  locked: z.boolean(),
  created_at: ms,
  updated_at: ms,
});

export const userSchemasMatchContract: [
  SameShape<z.infer<typeof atlassianSiteJsonSchema>, AtlassianSiteJSON>,
  SameShape<z.infer<typeof emailAddressJsonSchema>, EmailAddressJSON>,
  SameShape<z.infer<typeof externalAccountJsonSchema>, ExternalAccountJSON>,
  SameShape<z.infer<typeof backendUserJsonSchema>, BackendUserJSON>,
] = [true, true, true, true];
