import type { IncomingMessage } from "node:http";
import type { AuthState } from "./authenticate-request.js";
import { authenticateNodeRequest } from "./node.js";
import { checkOptions } from "./options.js";
import type { VerifyTokenOptions } from "./verify-token.js";

/** A request after foyerExpress ran. */
export type FoyerExpressRequest = IncomingMessage & { auth: AuthState };

/**
 * Express (or Connect) middleware: sets `req.auth` to the request's AuthState and continues;
 * it never answers by itself, so routes decide what signed-out means for them.
 * Options are checked once, here, not on every request.
 */
export function foyerExpress(options: VerifyTokenOptions) {
  checkOptions(options);
  return (req: IncomingMessage, _res: unknown, next: (err?: unknown) => void): void => {
    authenticateNodeRequest(req, options).then((auth) => {
      (req as FoyerExpressRequest).auth = auth;
      next();
    }, next);
  };
}
