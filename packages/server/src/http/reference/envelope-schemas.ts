/**
 * The wrappers around resources (deletions, counts, pages, the JWKS) as zod schemas for the API
 * reference, held equal at compile time to the contract's types.
 */
import type {
  DeletedObjectJSON,
  JwkJSON,
  JwksJSON,
  PaginatedResponseJSON,
  TotalCountJSON,
} from "@foyer/contract";
import { z } from "zod";
import type { SameShape } from "../../same-shape.js";

export const deletedObjectJsonSchema = z.object({
  object: z.string(),
  id: z.string(),
  deleted: z.literal(true),
});

export const totalCountJsonSchema = z.object({
  object: z.literal("total_count"),
  total_count: z.number().int(),
});

export const jwkJsonSchema = z.object({
  kty: z.literal("RSA"),
  n: z.string(),
  e: z.string(),
  kid: z.string(),
  alg: z.literal("RS256"),
  use: z.literal("sig"),
});

export const jwksJsonSchema = z.object({ keys: z.array(jwkJsonSchema) });

/** Clerk's `{ data, total_count }` page of `item`. */
export function paginated<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), total_count: z.number().int() });
}

/** A plain array, or a page when the request says `paginated=true`. */
export function listOrPage<T extends z.ZodType>(item: T) {
  return z.union([z.array(item), paginated(item)]);
}

export const envelopeSchemasMatchContract: [
  SameShape<z.infer<typeof deletedObjectJsonSchema>, DeletedObjectJSON>,
  SameShape<z.infer<typeof totalCountJsonSchema>, TotalCountJSON>,
  SameShape<z.infer<typeof jwkJsonSchema>, JwkJSON>,
  SameShape<z.infer<typeof jwksJsonSchema>, JwksJSON>,
  SameShape<z.infer<ReturnType<typeof paginated<typeof jwkJsonSchema>>>, PaginatedResponseJSON<JwkJSON>>,
] = [true, true, true, true, true];
