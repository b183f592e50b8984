import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { isDatabaseUnavailable } from "../db/database-fault.js";
import { ApiError } from "../errors/api-error.js";
import type { Logger } from "../log.js";
import { rateLimitedErrorLog } from "./error-log.js";

/** Seconds a caller waits before retrying while the database does not answer. */
export const DATABASE_RETRY_AFTER = "2";

/** The answer for an error that is the database's, not ours: coded, retryable, fast. */
export function databaseUnavailable(cause: unknown): ApiError {
  return new ApiError("database_unavailable", { cause, headers: { "Retry-After": DATABASE_RETRY_AFTER } });
}

/**
 * Turns anything thrown in a handler into the catalogue's JSON shape. A database that does not
 * answer is a 503 with Retry-After; anything else unknown is a 500. Both are logged, at most one
 * stack per kind per 10 s.
 */
export function errorHandler(log: Logger): (err: unknown, c: Context) => Response {
  const logError = rateLimitedErrorLog(log);
  return (err, c) => {
    if (err instanceof ApiError) {
      if (err.status >= 500) log.warn({ code: err.code, path: c.req.path, err: err.cause }, err.message);
      return c.json(err.toBody(), err.status as 400, err.headers);
    }
    if (err instanceof HTTPException) {
      const code =
        err.status === 413 ? "request_body_too_large" : err.status === 404 ? "route_not_found" : undefined;
      if (code) return c.json(new ApiError(code).toBody(), err.status);
    }
    if (isDatabaseUnavailable(err)) {
      logError("database_unavailable", { err, path: c.req.path }, "the database did not answer");
      const unavailable = databaseUnavailable(err);
      return c.json(unavailable.toBody(), 503, unavailable.headers);
    }
    const kind = err instanceof Error ? `${err.name}: ${err.message.split("\n")[0]}` : String(err);
    logError(kind, { err, path: c.req.path, method: c.req.method }, "unhandled error");
    return c.json(new ApiError("internal_error").toBody(), 500);
  };
}
