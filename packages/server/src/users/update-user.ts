/**
 * Backend API changes to a user: names and the three metadata objects, nothing else (emails and
 * Atlassian accounts come from Atlassian). `PATCH /v1/users/{id}` replaces what it is given;
 * `PATCH /v1/users/{id}/metadata` deep-merges (null removes a key), as Clerk's do.
 */
import { z } from "zod";
import type { UserTable } from "../db/schema.js";
import { ApiError } from "../errors/api-error.js";
import type { Services } from "../services.js";

/** Clerk's limit for each metadata object, serialised. */
export const MAX_METADATA_BYTES = 8 * 1024;

const metadata = z.record(z.string(), z.unknown());
const name = z.string().trim().max(256).nullable();

export const updateUserSchema = z.strictObject({
  first_name: name.optional(),
  last_name: name.optional(),
  public_metadata: metadata.optional(),
  private_metadata: metadata.optional(),
  unsafe_metadata: metadata.optional(),
});
export type UpdateUser = z.infer<typeof updateUserSchema>;

export const metadataSchema = z.strictObject({
  public_metadata: metadata.optional(),
  private_metadata: metadata.optional(),
  unsafe_metadata: metadata.optional(),
});
export type MetadataPatch = z.infer<typeof metadataSchema>;

const METADATA_KEYS = ["public_metadata", "private_metadata", "unsafe_metadata"] as const;

function serialise(key: string, value: Record<string, unknown>): string {
  const text = JSON.stringify(value);
  if (Buffer.byteLength(text) > MAX_METADATA_BYTES) {
    throw new ApiError("form_param_invalid", {
      longMessage: `${key} must be at most ${MAX_METADATA_BYTES} bytes of JSON.`,
      meta: { param_name: key },
    });
  }
  return text;
}

export async function updateUser(svc: Services, user: UserTable, patch: UpdateUser): Promise<void> {
  const set: Partial<UserTable> = { updated_at: svc.now() };
  if (patch.first_name !== undefined) set.first_name = patch.first_name || null;
  if (patch.last_name !== undefined) set.last_name = patch.last_name || null;
  for (const key of METADATA_KEYS) {
    const value = patch[key];
    if (value !== undefined) set[key] = serialise(key, value);
  }
  await svc.db.kysely
    .updateTable("users")
    .set(set)
    .where("id", "=", user.id)
    .where("instance_id", "=", user.instance_id)
    .execute();
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Deep merge in Clerk's manner: objects merge, anything else replaces, null deletes the key. */
export function mergeMetadata(base: Record<string, unknown>, patch: Record<string, unknown>) {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else if (isObject(value) && isObject(out[key]))
      out[key] = mergeMetadata(out[key] as Record<string, unknown>, value);
    else out[key] = value;
  }
  return out;
}

export async function mergeUserMetadata(svc: Services, user: UserTable, patch: MetadataPatch): Promise<void> {
  const set: Partial<UserTable> = { updated_at: svc.now() };
  for (const key of METADATA_KEYS) {
    const value = patch[key];
    if (value !== undefined) {
      set[key] = serialise(key, mergeMetadata(JSON.parse(user[key]) as Record<string, unknown>, value));
    }
  }
  await svc.db.kysely
    .updateTable("users")
    .set(set)
    .where("id", "=", user.id)
    .where("instance_id", "=", user.instance_id)
    .execute();
}
