import type { Context } from "hono";
import { ApiError } from "../errors/api-error.js";

/**
 * Reads a `multipart/form-data` body (Clerk's upload routes): its file field's bytes and its
 * text fields. The size was capped before this (app.ts gives upload routes their own limit).
 */
export async function readMultipart(
  c: Context,
  fileField: string,
): Promise<{ bytes: Uint8Array; fields: Map<string, string> }> {
  const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "multipart/form-data") {
    throw new ApiError("unsupported_media_type", {
      longMessage: `Send the body as multipart/form-data with the image in a \`${fileField}\` field.`,
      meta: { content_type: type },
    });
  }
  let form: FormData;
  try {
    form = await c.req.raw.formData();
  } catch (err) {
    // A body-limit refusal surfaces here too when the stream is cut: keep its code.
    if (err instanceof ApiError) throw err;
    throw new ApiError("form_param_invalid", {
      longMessage: "The body is not valid multipart/form-data.",
      meta: { param_name: fileField },
    });
  }
  const file = form.get(fileField);
  if (!(file instanceof Blob)) {
    throw new ApiError("form_param_missing", {
      longMessage: `The \`${fileField}\` field must be a file.`,
      meta: { param_name: fileField },
    });
  }
  const fields = new Map<string, string>();
  for (const [name, value] of form.entries()) if (typeof value === "string") fields.set(name, value);
  return { bytes: new Uint8Array(await file.arrayBuffer()), fields };
}
