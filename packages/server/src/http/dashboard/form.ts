import type { Context } from "hono";
import { ApiError } from "../../errors/api-error.js";

/** The hidden field every dashboard POST form carries. */
export const CSRF_FIELD = "_csrf";

/**
 * Reads a urlencoded form body. Hono caches the text, so the CSRF guard and the handler can both
 * read it; the app-wide body limit has already capped its size.
 */
export async function readForm(c: Context): Promise<URLSearchParams> {
  const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") {
    throw new ApiError("unsupported_media_type", { meta: { content_type: type } });
  }
  return new URLSearchParams(await c.req.text());
}

/** A single-valued text field, trimmed; undefined when absent. */
export function field(form: URLSearchParams, name: string): string | undefined {
  const value = form.get(name);
  return value === null ? undefined : value.trim();
}

/** A checkbox: present means ticked. */
export function checkbox(form: URLSearchParams, name: string): boolean {
  return form.has(name);
}
