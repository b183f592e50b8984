/**
 * What the stored row of an external account can give without calling Atlassian: its access
 * token while fresh enough, or the reason it cannot (the grant is dead, no refresh token).
 */
import type { ExternalAccountTable } from "../db/schema.js";
import { ApiError } from "../errors/api-error.js";
import type { Instance } from "../instances/instances.js";
import type { Services } from "../services.js";
import { decryptTokens } from "./token-store.js";

/** A token with less than this left is refreshed before it is handed out. */
export const FRESHNESS_MS = 60_000;
/** Forced refreshes this soon after the last one get that one's token. */
export const FORCED_REUSE_MS = 5_000;

export interface FreshAccessToken {
  /** The account as stored after this call (its token columns encrypted). */
  account: ExternalAccountTable;
  accessToken: string;
  expiresAt: number;
}

export interface FreshTokenOptions {
  /** Refresh even though the stored token is still fresh. */
  force?: boolean;
}

export function accountMeta(account: ExternalAccountTable) {
  return { external_account_id: account.id, provider: account.provider };
}

/**
 * The stored token if it can be handed out as is; throws for an account that needs the user
 * again. Under `force`, only a token refreshed moments ago (and no pending journal entry) counts.
 */
export function usableToken(
  svc: Services,
  account: ExternalAccountTable,
  opts: FreshTokenOptions,
): FreshAccessToken | undefined {
  if (account.status === "reauthorization_required") {
    throw new ApiError("oauth_reauthorization_required", {
      meta: { ...accountMeta(account), reauthorization_reason: account.reauthorization_reason },
    });
  }
  const now = svc.now();
  const expiresAt = account.access_token_expires_at;
  if (!account.access_token_enc || expiresAt === null || expiresAt <= now) return undefined;
  if (opts.force) {
    const recent = account.last_refreshed_at !== null && now - account.last_refreshed_at < FORCED_REUSE_MS;
    if (!recent || account.refresh_intent_at !== null) return undefined;
  } else if (expiresAt - now <= FRESHNESS_MS) {
    return undefined;
  }
  return { account, accessToken: decryptTokens(svc, account).accessToken!, expiresAt };
}

/** Without a refresh token, a token that has not quite expired is still better than nothing. */
export function withoutRefreshToken(svc: Services, account: ExternalAccountTable): FreshAccessToken {
  const expiresAt = account.access_token_expires_at;
  if (account.access_token_enc && expiresAt !== null && expiresAt > svc.now()) {
    return { account, accessToken: decryptTokens(svc, account).accessToken!, expiresAt };
  }
  throw new ApiError("oauth_missing_refresh_token", { meta: accountMeta(account) });
}

/** The failures a refresh backs off after; each is shared with the callers who wait it out. */
export type BackOffCode = "oauth_provider_unavailable" | "oauth_provider_error" | "oauth_invalid_client";
const BACK_OFF_CODES: ReadonlySet<string> = new Set<BackOffCode>([
  "oauth_provider_unavailable",
  "oauth_provider_error",
  "oauth_invalid_client",
]);

/**
 * "Try again in a moment", with the failure that caused the wait: a caller backed off after
 * Atlassian answered nonsense (or refused the client) learns that, not a generic outage.
 */
export function unavailable(
  account: ExternalAccountTable,
  retryAfterSeconds: number,
  code: BackOffCode = "oauth_provider_unavailable",
): ApiError {
  return new ApiError(code, {
    meta: accountMeta(account),
    headers: { "Retry-After": String(retryAfterSeconds) },
  });
}

/** The failure an account is backing off after, as recorded by the refresh that failed. */
export function backOffCode(account: ExternalAccountTable): BackOffCode {
  const code = account.last_refresh_error;
  return code !== null && BACK_OFF_CODES.has(code) ? (code as BackOffCode) : "oauth_provider_unavailable";
}

export async function loadAccount(
  svc: Services,
  instance: Instance,
  id: string,
): Promise<ExternalAccountTable> {
  const row = await svc.db.kysely
    .selectFrom("external_accounts")
    .selectAll()
    .where("id", "=", id)
    .where("instance_id", "=", instance.id)
    .executeTakeFirst();
  if (!row) throw new ApiError("resource_not_found", { longMessage: "The external account is gone." });
  return row;
}
