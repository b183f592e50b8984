import type { MiddlewareHandler } from "hono";
import { ApiError } from "../errors/api-error.js";

// C0 controls and DEL: no id, key, email or URL Foyer accepts contains one.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Refuses a path or query carrying a control character (NUL above all) before any route runs:
 * PostgreSQL rejects NUL in text, so an id like `user_1%00` used to reach SQL and end as a 500.
 */
export function refuseControlCharacters(): MiddlewareHandler {
  return async (c, next) => {
    const url = new URL(c.req.url);
    let decoded: string;
    try {
      decoded = decodeURIComponent(url.pathname) + decodeURIComponent(url.search.replace(/\+/g, " "));
    } catch {
      throw new ApiError("request_characters_invalid", { meta: { reason: "malformed percent-encoding" } });
    }
    if (CONTROL.test(decoded)) throw new ApiError("request_characters_invalid");
    await next();
  };
}
