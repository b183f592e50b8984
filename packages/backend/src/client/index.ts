import { createRequester, type FoyerClientOptions } from "./request.js";
import { sessionsApi } from "./sessions.js";
import type { Jwks } from "./types.js";
import { usersApi } from "./users.js";

/** What createFoyerClient returns: `users`, `sessions` and `jwks`, in Clerk's method names. */
export type FoyerClient = ReturnType<typeof createFoyerClient>;

/**
 * A typed client of one instance's Backend API (the secret key selects the instance).
 * Failures throw FoyerApiError with the API's error code, HTTP status and Retry-After.
 */
export function createFoyerClient(options: FoyerClientOptions) {
  const request = createRequester(options);
  return {
    users: usersApi(request),
    sessions: sessionsApi(request),
    jwks: {
      getJwks: () => request<Jwks>("GET", "/jwks"),
    },
  };
}
