import type { Handler } from "hono";
import { type ApiReference, openApiDocument } from "./openapi-document.js";

/**
 * Serves an API's OpenAPI document without credentials: it is the same for every deployment of
 * this code (no instance, key or setting in it), as public as the docs in the repository, and a
 * viewer can load it without handing a secret key to a web page. Built once, on first request.
 * `Access-Control-Allow-Origin: *` lets a viewer on another origin fetch it: the answer
 * carries nothing a cookie or key could unlock.
 */
export function openApiHandler(reference: ApiReference): Handler {
  let text: string | undefined;
  return (c) => {
    text ??= JSON.stringify(openApiDocument(reference));
    return c.body(text, 200, {
      "Content-Type": "application/json; charset=utf-8",
      "Cache-Control": "public, max-age=300",
      "Access-Control-Allow-Origin": "*",
    });
  };
}
