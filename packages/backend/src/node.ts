import type { IncomingMessage } from "node:http";
import { type AuthState, authenticateHeaders } from "./authenticate-request.js";
import type { VerifyTokenOptions } from "./verify-token.js";

/** authenticateRequest for plain node:http servers. */
export function authenticateNodeRequest(
  req: Pick<IncomingMessage, "headers">,
  options: VerifyTokenOptions,
): Promise<AuthState> {
  return authenticateHeaders(req.headers, options);
}
