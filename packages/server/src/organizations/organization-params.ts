/**
 * What the Backend API accepts for organizations and memberships: request bodies and list
 * queries, each a zod schema the route validates with and the API reference shows, held equal
 * to the contract's parameter types (so the SDK never offers a field the server refuses).
 */
import type {
  CreateOrganizationMembershipParams,
  CreateOrganizationParams,
  UpdateOrganizationMetadataParams,
  UpdateOrganizationParams,
} from "@foyer/contract";
import { z } from "zod";
import { ApiError } from "../errors/api-error.js";
import { integerParam, queryParamInvalid } from "../errors/query-param.js";

/** Clerk's limit for each metadata object, serialised. */
const MAX_METADATA_BYTES = 8 * 1024;

const metadata = z.record(z.string(), z.unknown());
const name = z.string().trim().min(1, "must not be empty").max(256, "must be at most 256 characters");
export const slugSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, "a slug is 1 to 64 lower-case letters, digits or dashes");
const limit = z
  .number({ error: "must be a whole number" })
  .int("must be a whole number")
  .min(0, "must be 0 (no limit) or more")
  .max(100_000, "must be at most 100000");
export const roleSchema = z.enum(["org:admin", "org:member"], { error: "must be org:admin or org:member" });

type SameFields<A, B> = [Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>] extends [never]
  ? true
  : false;

export const createOrganizationBody = z.strictObject({
  name,
  slug: slugSchema.optional(),
  created_by: z.string().max(100).optional(),
  max_allowed_memberships: limit.optional(),
  public_metadata: metadata.optional(),
  private_metadata: metadata.optional(),
}) satisfies z.ZodType<CreateOrganizationParams, CreateOrganizationParams>;

export const updateOrganizationBody = z.strictObject({
  name: name.optional(),
  slug: slugSchema.optional(),
  max_allowed_memberships: limit.optional(),
  admin_delete_enabled: z.boolean().optional(),
  public_metadata: metadata.optional(),
  private_metadata: metadata.optional(),
}) satisfies z.ZodType<UpdateOrganizationParams, UpdateOrganizationParams>;

export const createMembershipBody = z.strictObject({
  user_id: z.string().max(100),
  role: roleSchema,
  public_metadata: metadata.optional(),
  private_metadata: metadata.optional(),
}) satisfies z.ZodType<CreateOrganizationMembershipParams, CreateOrganizationMembershipParams>;

export const updateMembershipBody = z.strictObject({ role: roleSchema });

export const organizationMetadataBody = z.strictObject({
  public_metadata: metadata.optional(),
  private_metadata: metadata.optional(),
}) satisfies z.ZodType<UpdateOrganizationMetadataParams, UpdateOrganizationMetadataParams>;

/** A validated create body as the domain takes it (the Backend and Platform APIs share it). */
export function newOrganizationFrom(body: z.infer<typeof createOrganizationBody>) {
  return {
    name: body.name,
    slug: body.slug,
    createdBy: body.created_by,
    maxAllowedMemberships: body.max_allowed_memberships,
    publicMetadata: body.public_metadata,
    privateMetadata: body.private_metadata,
  };
}

export const paramsMatchContract: [
  SameFields<z.input<typeof createOrganizationBody>, CreateOrganizationParams>,
  SameFields<z.input<typeof updateOrganizationBody>, UpdateOrganizationParams>,
  SameFields<z.input<typeof createMembershipBody>, CreateOrganizationMembershipParams>,
  SameFields<z.input<typeof organizationMetadataBody>, UpdateOrganizationMetadataParams>,
] = [true, true, true, true];

/** Paging, as Clerk's lists take it (limit 1–500, default 10). */
export const pageQuerySchema = z.object({
  limit: integerParam("limit", 10, 1, 500),
  offset: integerParam("offset", 0, 0, 100_000_000),
});

export const organizationListQuerySchema = pageQuerySchema.extend({
  query: z
    .string()
    .trim()
    .max(200, { error: "query must be at most 200 characters." })
    .optional()
    .describe("An exact organization id, or part of a name or slug."),
});

/** A query string through a schema; a bad value is a 400 naming the parameter. */
export function parseQuery<S extends z.ZodObject>(schema: S, params: URLSearchParams): z.infer<S> {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = params.get(key);
    if (value) raw[key] = value;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw queryParamInvalid(parsed.error);
  return parsed.data;
}

/** Metadata as stored, or a 422 when it is larger than Clerk allows. */
export function serialiseMetadata(key: string, value: Record<string, unknown>): string {
  const text = JSON.stringify(value);
  if (Buffer.byteLength(text) > MAX_METADATA_BYTES) {
    throw new ApiError("form_param_invalid", {
      longMessage: `${key} must be at most ${MAX_METADATA_BYTES} bytes of JSON.`,
      meta: { param_name: key },
    });
  }
  return text;
}

/** "Acme Corp!" → "acme-corp": a slug from a name (site names are free text). */
export function slugFrom(text: string): string {
  const slug = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/, "");
  return slug || "organization";
}
