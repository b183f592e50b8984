import type { Context } from "hono";
import type { z } from "zod";
import { ApiError } from "../errors/api-error.js";

/** Bodies larger than this are refused with 413 before they are parsed. */
export const MAX_BODY_BYTES = 100 * 1024;
/** Deeper JSON is refused: no endpoint needs it, and deep nesting is a parser-exhaustion trick. */
export const MAX_JSON_DEPTH = 20;

function depthOf(value: unknown, limit: number): number {
  // Iterative so a hostile body cannot blow the stack while being measured.
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (d > max) max = d;
    if (max > limit) return max;
    for (const child of Object.values(v as Record<string, unknown>)) stack.push([child, d + 1]);
  }
  return max;
}

async function readLimitedText(c: Context): Promise<string> {
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw new ApiError("request_body_too_large");
  const body = c.req.raw.body;
  if (!body) return "";
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new ApiError("request_body_too_large");
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Reads a JSON body (or, where `allowForm` is set, a form body as browsers and Clerk's SDKs send
 * it) and validates it against a zod schema. Unknown fields are refused by the schemas
 * (`z.strictObject`), so a typo never silently does nothing.
 */
export async function readBody<S extends z.ZodType>(
  c: Context,
  schema: S,
  opts: { allowForm?: boolean; allowEmpty?: boolean } = {},
): Promise<z.infer<S>> {
  const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const text = await readLimitedText(c);
  let data: unknown;
  if (type === "application/x-www-form-urlencoded" && opts.allowForm) {
    data = Object.fromEntries(new URLSearchParams(text));
  } else if (type === "application/json" || (type === "" && text.trim() === "")) {
    if (text.trim() === "") {
      data = {};
    } else {
      try {
        data = JSON.parse(text);
      } catch {
        throw new ApiError("invalid_json");
      }
    }
  } else {
    throw new ApiError("unsupported_media_type", { meta: { content_type: type } });
  }
  if (depthOf(data, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) throw new ApiError("json_too_deep");
  // NUL cannot be stored in PostgreSQL text (it fails there, not here): refuse it by name.
  if (containsNul(data)) {
    throw new ApiError("form_param_invalid", { longMessage: "Values may not contain the NUL character." });
  }
  return validate(schema, data);
}

/** Maps a zod failure to the catalogue: unknown field, missing field or invalid value. */
export function validate<S extends z.ZodType>(schema: S, data: unknown): z.infer<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.join(".");
  if (issue.code === "unrecognized_keys") {
    const names = issue.keys.map((k) => (path ? `${path}.${k}` : k));
    throw new ApiError("form_param_unknown", {
      longMessage: `Unknown field${names.length > 1 ? "s" : ""}: ${names.join(", ")}.`,
      meta: { param_names: names },
    });
  }
  let at: unknown = data;
  for (const key of issue.path)
    at = at && typeof at === "object" ? (at as Record<PropertyKey, unknown>)[key] : undefined;
  if (issue.code === "invalid_type" && at === undefined) {
    throw new ApiError("form_param_missing", {
      longMessage: `${path} is required.`,
      meta: { param_name: path },
    });
  }
  throw new ApiError("form_param_invalid", {
    longMessage: `${path || "body"}: ${issue.message}`,
    meta: { param_name: path, reason: issue.message },
  });
}

function containsNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (Array.isArray(value)) return value.some(containsNul);
  if (value && typeof value === "object") {
    return Object.entries(value).some(([k, v]) => k.includes("\u0000") || containsNul(v));
  }
  return false;
}
