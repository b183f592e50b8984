/**
 * Query strings through zod, the same way for every list: whole numbers in a range with a
 * default, and the first problem as a 400 `query_param_invalid` naming the parameter.
 */
import { z } from "zod";
import { ApiError } from "./api-error.js";

/** A whole-number parameter from `min` to `max`; absent: `fallback`. */
export function integerParam(name: string, fallback: number, min: number, max: number) {
  const range = `${name} must be a whole number from ${min} to ${max}.`;
  return z.coerce
    .number({ error: range })
    .int({ error: range })
    .min(min, { error: range })
    .max(max, { error: range })
    .default(fallback);
}

/** The first issue of a failed query parse, as the API answers it. */
export function queryParamInvalid(error: z.ZodError): ApiError {
  const issue = error.issues[0]!;
  return new ApiError("query_param_invalid", {
    longMessage: issue.message,
    meta: { param_name: String(issue.path[0] ?? "") },
  });
}
