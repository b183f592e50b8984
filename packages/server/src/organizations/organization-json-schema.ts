/**
 * Organization and membership JSON as zod schemas, for the API reference; the checks at the
 * bottom hold them equal to the contract's types the serializers return.
 */
import type {
  OrganizationAtlassianSiteJSON,
  OrganizationJSON,
  OrganizationMembershipJSON,
  OrganizationMembershipPublicUserDataJSON,
} from "@foyer/contract";
import { z } from "zod";
import type { SameShape } from "../same-shape.js";
import type { SiteBackfillStatus } from "./site-backfill.js";

const ms = z.number().int().describe("Milliseconds since the epoch.");
const metadata = z.record(z.string(), z.unknown());

export const organizationAtlassianSiteJsonSchema = z.object({
  cloud_id: z.string().describe("What binds the organization to the site (never the URL or name)."),
  url: z.string(),
  name: z.string(),
  avatar_url: z.string().nullable(),
});

export const organizationJsonSchema = z.object({
  object: z.literal("organization"),
  id: z.string().describe("`org_…`."),
  name: z.string(),
  slug: z.string(),
  image_url: z
    .string()
    .describe("The uploaded logo (`PUT …/logo`), else a site organization's site avatar, else empty."),
  has_image: z.boolean(),
  members_count: z.number().int(),
  max_allowed_memberships: z.number().int().describe("0: no limit."),
  admin_delete_enabled: z.boolean(),
  public_metadata: metadata,
  private_metadata: metadata,
  created_by: z.string().nullable(),
  atlassian_site: organizationAtlassianSiteJsonSchema
    .nullable()
    .describe("The Atlassian site a site organization stands for (`organizations_from_sites: auto`)."),
  created_at: ms,
  updated_at: ms,
});

export const organizationMembershipPublicUserDataJsonSchema = z.object({
  user_id: z.string(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  image_url: z.string(),
  has_image: z.boolean(),
  identifier: z.string().describe("The primary email address, else the username, else empty."),
});

export const organizationMembershipJsonSchema = z.object({
  object: z.literal("organization_membership"),
  id: z.string(),
  role: z.enum(["org:admin", "org:member"]),
  permissions: z.array(z.string()).describe("Clerk's system permissions of the role."),
  public_metadata: metadata,
  private_metadata: metadata,
  organization: organizationJsonSchema,
  public_user_data: organizationMembershipPublicUserDataJsonSchema,
  created_at: ms,
  updated_at: ms,
});

export const organizationSchemasMatchContract: [
  SameShape<z.infer<typeof organizationAtlassianSiteJsonSchema>, OrganizationAtlassianSiteJSON>,
  SameShape<z.infer<typeof organizationJsonSchema>, OrganizationJSON>,
  SameShape<
    z.infer<typeof organizationMembershipPublicUserDataJsonSchema>,
    OrganizationMembershipPublicUserDataJSON
  >,
  SameShape<z.infer<typeof organizationMembershipJsonSchema>, OrganizationMembershipJSON>,
] = [true, true, true, true];

export const siteBackfillStatusJsonSchema = z.object({
  object: z.literal("site_organization_backfill"),
  instance_id: z.string(),
  status: z
    .enum(["running", "idle"])
    .describe(
      "`running`: users who signed in before `organizations_from_sites` turned on are still being bound.",
    ),
  users_done: z.number().int().describe("Users bound so far by the running backfill (0 when idle)."),
  started_at: ms.nullable().describe("When the running backfill was queued (the setting turned on)."),
  updated_at: ms.nullable().describe("When its last batch committed."),
});

export const backfillSchemaMatches: SameShape<
  z.infer<typeof siteBackfillStatusJsonSchema>,
  SiteBackfillStatus
> = true;
