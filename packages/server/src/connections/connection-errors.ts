/**
 * The last thing Atlassian refused about an instance's connection, kept on the connection row so
 * the operator sees it (dashboard, Platform API `last_error`) instead of only a log line. Written
 * when a sign-in's code exchange or a token refresh shows a configuration fault, cleared by the
 * next success. It holds Foyer's code, Atlassian's error code and the step: never a secret, a
 * token or an authorization code. Not a settings change: it leaves `version` alone, so an
 * operator editing the form is not told someone else saved.
 */
import type { SocialConnectionTable } from "../db/schema.js";
import type { Services } from "../services.js";

/**
 * - `invalid_client`: Atlassian refused the Client ID or Secret (401 `access_denied`,
 *   `invalid_client`, a challenge), at a sign-in or at a refresh.
 * - `code_rejected`: Atlassian refused the authorization code it had just issued; when it
 *   repeats, the Callback URL registered in Atlassian's console is not exactly the redirect URI.
 * - `authorize_error`: Atlassian sent the user back with an error other than the user's "Cancel"
 *   (`invalid_scope`, `unauthorized_client`, `server_error`…): usually a scope not added to the app.
 *
 * A scope missing from the app in Atlassian's console is shown by Atlassian to the user, on its
 * consent page, and never reaches Foyer; the setup guide and the `authorize_error` text point at it.
 */
export type ConnectionErrorCode = "invalid_client" | "code_rejected" | "authorize_error";

export type ConnectionErrorStep = "code_exchange" | "refresh" | "authorize";

export interface ConnectionError {
  code: ConnectionErrorCode;
  /** `step: atlassian_error` (e.g. `code_exchange: access_denied`), for support. */
  detail: string | null;
  at: number;
}

const CODES = new Set<string>(["invalid_client", "code_rejected", "authorize_error"]);

export function connectionErrorOf(row: SocialConnectionTable): ConnectionError | null {
  if (row.last_error_code === null || row.last_error_at === null || !CODES.has(row.last_error_code))
    return null;
  return {
    code: row.last_error_code as ConnectionErrorCode,
    detail: row.last_error_detail,
    at: row.last_error_at,
  };
}

/** What the operator should do, in a sentence or two. */
export function connectionErrorMessage(error: ConnectionError, redirectUri: string): string {
  switch (error.code) {
    case "invalid_client":
      return (
        "Atlassian refused the Client ID or Client Secret, so nobody can sign in and tokens cannot be " +
        "refreshed. Copy both again from your app's Settings in Atlassian's developer console and save them here."
      );
    case "code_rejected":
      return (
        "Atlassian refused an authorization code it had just issued. If this repeats, the Callback URL of " +
        `your app in Atlassian's developer console (Authorization) is not exactly ${redirectUri}: paste it again.`
      );
    case "authorize_error":
      return (
        "Atlassian sent a user back with an error instead of a sign-in. Check that every scope of this " +
        "connection is added to your app under Permissions in Atlassian's developer console, and that the app's " +
        "Distribution is set to Sharing."
      );
  }
}

/** Records a fault on the connection's stored row (a connection never saved has no custom credentials to blame). */
export async function recordConnectionError(
  svc: Services,
  instanceId: string,
  error: { code: ConnectionErrorCode; step: ConnectionErrorStep; atlassianError?: string },
): Promise<void> {
  const detail = `${error.step}: ${(error.atlassianError ?? "none").replace(/[^\w.:-]/g, "").slice(0, 60)}`;
  await svc.db.kysely
    .updateTable("social_connections")
    .set({ last_error_code: error.code, last_error_detail: detail, last_error_at: svc.now() })
    .where("instance_id", "=", instanceId)
    .where("provider", "=", "oauth_atlassian")
    .execute();
}

/** Clears a recorded fault after Atlassian accepted the connection again; no write when none is set. */
export async function clearConnectionError(svc: Services, instanceId: string): Promise<void> {
  await svc.db.kysely
    .updateTable("social_connections")
    .set({ last_error_code: null, last_error_detail: null, last_error_at: null })
    .where("instance_id", "=", instanceId)
    .where("provider", "=", "oauth_atlassian")
    .where("last_error_code", "is not", null)
    .execute();
}
