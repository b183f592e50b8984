import { type AuthState, authenticateRequest } from "./authenticate-request.js";
import { checkOptions } from "./options.js";
import type { VerifyTokenOptions } from "./verify-token.js";

/** Hono env for apps using foyerHono: `c.get("auth")` is the request's AuthState. */
export type FoyerHonoEnv = { Variables: { auth: AuthState } };

interface HonoLikeContext {
  req: { raw: Request };
  set(key: "auth", value: AuthState): void;
}

/** Hono middleware: sets `c.var.auth` and continues. Options are checked once, here. */
export function foyerHono(options: VerifyTokenOptions) {
  checkOptions(options);
  return async (c: HonoLikeContext, next: () => Promise<void>): Promise<void> => {
    c.set("auth", await authenticateRequest(c.req.raw, options));
    await next();
  };
}
