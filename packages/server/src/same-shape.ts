/**
 * `true` only when A and B are the same type, field for field (optional and nullable alike).
 * The response schemas of the API reference are zod; the serializers' types are the contract's
 * or inferred. Holding each pair equal at compile time means a field added, renamed or
 * retyped on one side breaks the build until the reference says the same:
 *
 *     export const userSchemaMatches: SameShape<z.infer<typeof backendUserJsonSchema>, BackendUserJSON> = true;
 *
 * Plain mutual assignability is not enough: it lets one side drop an optional field.
 */
export type SameShape<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
