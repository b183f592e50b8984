import { atlassianApi } from "../atlassian/fetch.js";
import { organizationsApi } from "./organizations.js";
import { createRequester, type FoyerClientOptions } from "./request.js";
import { sessionsApi } from "./sessions.js";
import type { Jwks } from "./types.js";
import { usersApi } from "./users.js";

/**
 * What createFoyerClient returns: `users`, `sessions`, `organizations` and `jwks`, in Clerk's method names, and
 * `atlassian.fetch` (Foyer's: a Jira/Confluence call with the user's token, refresh and retries).
 */
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
    organizations: organizationsApi(request),
    atlassian: atlassianApi(request, options.atlassian),
    jwks: {
      getJwks: () => request<Jwks>("GET", "/jwks"),
    },
  };
}
