import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { ApiError } from "../errors/api-error.js";
import type { Logger } from "../log.js";

/** Turns anything thrown in a handler into the catalogue's JSON shape; unknown errors are 500s, logged. */
export function errorResponse(err: unknown, c: Context, log: Logger): Response {
  if (err instanceof ApiError) {
    if (err.status >= 500) log.warn({ code: err.code, path: c.req.path, err: err.cause }, err.message);
    return c.json(err.toBody(), err.status as 400, err.headers);
  }
  if (err instanceof HTTPException) {
    const code =
      err.status === 413 ? "request_body_too_large" : err.status === 404 ? "route_not_found" : undefined;
    if (code) return c.json(new ApiError(code).toBody(), err.status);
  }
  log.error({ err, path: c.req.path, method: c.req.method }, "unhandled error");
  return c.json(new ApiError("internal_error").toBody(), 500);
}
