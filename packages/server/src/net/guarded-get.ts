/**
 * A GET of a URL someone else chose (an OAuth Client ID Metadata Document), with the same guard
 * as webhook deliveries (guarded-post.ts): URL rules, every resolved address checked, the
 * connection pinned to the checked address, no redirects, one timeout, a size cap.
 */
import { type GuardedPostOutcome, type GuardedPostRequest, guardedRequest } from "./guarded-post.js";

export type GuardedGetRequest = Omit<GuardedPostRequest, "body">;
export type GuardedGetOutcome = GuardedPostOutcome;

export function guardedGet(req: GuardedGetRequest): Promise<GuardedGetOutcome> {
  return guardedRequest("GET", req);
}
