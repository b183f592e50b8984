/**
 * The error body every non-2xx answer carries, as a zod schema for the API reference. The
 * catalogue (`ERRORS` in the contract) is the closed set of codes; the compile-time check holds
 * the schema to the contract's `ErrorBodyJSON`.
 */
import { ERRORS, type ErrorBodyJSON, type ErrorCode, type ErrorEntryJSON } from "@foyer/contract";
import { z } from "zod";
import type { SameShape } from "../same-shape.js";

export const errorCodeSchema = z.enum(Object.keys(ERRORS) as [ErrorCode, ...ErrorCode[]]);

export const errorEntryJsonSchema = z.object({
  code: errorCodeSchema,
  message: z.string().describe("The catalogue's message for the code."),
  long_message: z.string().describe("The message with this request's details."),
  meta: z
    .record(z.string(), z.unknown())
    .describe("Details; `param_name` names the request field at fault, when there is one."),
});

export const errorBodyJsonSchema = z.object({ errors: z.array(errorEntryJsonSchema) });

export const errorSchemasMatchContract: [
  SameShape<z.infer<typeof errorEntryJsonSchema>, ErrorEntryJSON>,
  SameShape<z.infer<typeof errorBodyJsonSchema>, ErrorBodyJSON>,
] = [true, true];
