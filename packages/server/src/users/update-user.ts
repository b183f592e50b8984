/**
 * Backend API changes to a user: names, username and the three metadata objects, nothing else
 * (emails and Atlassian accounts come from Atlassian). `PATCH /v1/users/{id}` replaces what it is
 * given; `PATCH /v1/users/{id}/metadata` deep-merges (null removes a key), as Clerk's do.
 */
import type { UpdateUserMetadataParams, UpdateUserParams } from "@foyer/contract";
import { sql } from "kysely";
import { z } from "zod";
import type { UserTable } from "../db/schema.js";
import { isUniqueViolation } from "../db/unique-violation.js";
import { ApiError } from "../errors/api-error.js";
import { emitUserEvent } from "../events/event-data.js";
import type { Services } from "../services.js";

/** Clerk's limit for each metadata object, serialised. */
export const MAX_METADATA_BYTES = 8 * 1024;

const metadata = z.record(z.string(), z.unknown());
const name = z.string().trim().max(256).nullable();
const username = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.-]{1,64}$/, "a username is 1 to 64 letters, digits, _, - or .")
  .nullable();

/**
 * True only when A and B name the same fields. `z.ZodType<T>` alone lets a schema omit one of
 * T's optional fields, which is how the SDK came to offer a `username` the server refused.
 */
type SameFields<A, B> = [Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>] extends [never]
  ? true
  : false;

export const updateUserSchema = z.strictObject({
  first_name: name.optional(),
  last_name: name.optional(),
  username: username.optional(),
  public_metadata: metadata.optional(),
  private_metadata: metadata.optional(),
  unsafe_metadata: metadata.optional(),
}) satisfies z.ZodType<UpdateUserParams, UpdateUserParams>;
export type UpdateUser = z.infer<typeof updateUserSchema>;

export const metadataSchema = z.strictObject({
  public_metadata: metadata.optional(),
  private_metadata: metadata.optional(),
  unsafe_metadata: metadata.optional(),
}) satisfies z.ZodType<UpdateUserMetadataParams, UpdateUserMetadataParams>;
export type MetadataPatch = z.infer<typeof metadataSchema>;

// Compile-time: each schema accepts exactly the fields the contract lets the SDKs send.
export const schemasMatchContract: [
  SameFields<z.input<typeof updateUserSchema>, UpdateUserParams>,
  SameFields<z.input<typeof metadataSchema>, UpdateUserMetadataParams>,
] = [true, true];

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

function usernameTaken(): ApiError {
  return new ApiError("form_identifier_exists", {
    longMessage: "That username is taken by another user of this instance.",
    meta: { param_name: "username" },
  });
}

/** Whether another user of the instance has this username, ignoring case (the unique index's rule). */
async function usernameInUse(svc: Services, user: UserTable, name: string): Promise<boolean> {
  const row = await svc.db.kysely
    .selectFrom("users")
    .select("id")
    .where("instance_id", "=", user.instance_id)
    .where(sql<string>`lower(username)`, "=", name.toLowerCase())
    .where("id", "!=", user.id)
    .executeTakeFirst();
  return row !== undefined;
}

export async function updateUser(svc: Services, user: UserTable, patch: UpdateUser): Promise<void> {
  const set: Partial<UserTable> = { updated_at: svc.now() };
  if (patch.first_name !== undefined) set.first_name = patch.first_name || null;
  if (patch.last_name !== undefined) set.last_name = patch.last_name || null;
  if (patch.username !== undefined) {
    // The check answers the common case with a clear error; the unique index settles races.
    if (patch.username !== null && (await usernameInUse(svc, user, patch.username))) throw usernameTaken();
    set.username = patch.username;
  }
  for (const key of METADATA_KEYS) {
    const value = patch[key];
    if (value !== undefined) set[key] = serialise(key, value);
  }
  try {
    await writeUser(svc, user, set);
  } catch (err) {
    if (set.username && isUniqueViolation(err)) throw usernameTaken();
    throw err;
  }
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
  await writeUser(svc, user, set);
}

/** The update and its `user.updated` event, in one transaction (the outbox). */
async function writeUser(svc: Services, user: UserTable, set: Partial<UserTable>): Promise<void> {
  await svc.db.kysely.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable("users")
      .set(set)
      .where("id", "=", user.id)
      .where("instance_id", "=", user.instance_id)
      .executeTakeFirst();
    if (result.numUpdatedRows === 1n) {
      await emitUserEvent(trx, user.instance_id, user.id, "user.updated", set.updated_at ?? svc.now());
    }
  });
}
