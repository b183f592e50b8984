import { tokenAad } from "../db/encrypted-columns.js";
import type { ExternalAccountTable, ReauthorizationReason } from "../db/schema.js";
import { emitGrantChanges } from "../events/event-data.js";
import type { Services } from "../services.js";

/**
 * Atlassian tokens at rest. Each is bound to its row and column as associated data, so a
 * ciphertext copied onto another external account (or swapped between the access and refresh
 * columns) fails to decrypt instead of handing one user's grant to another.
 */
export { tokenAad };

export function encryptToken(
  svc: Services,
  externalAccountId: string,
  kind: "access_token" | "refresh_token",
  value: string,
) {
  return svc.keyring.encrypt(value, tokenAad(externalAccountId, kind));
}

export function decryptTokens(
  svc: Services,
  row: Pick<ExternalAccountTable, "id" | "access_token_enc" | "refresh_token_enc">,
): { accessToken: string | null; refreshToken: string | null } {
  return {
    accessToken: row.access_token_enc
      ? svc.keyring.decrypt(row.access_token_enc, tokenAad(row.id, "access_token"))
      : null,
    refreshToken: row.refresh_token_enc
      ? svc.keyring.decrypt(row.refresh_token_enc, tokenAad(row.id, "refresh_token"))
      : null,
  };
}

/**
 * Stores a refresh's result: access token, rotated refresh token (or the stored one when
 * Atlassian sent none), expiry, the scopes Atlassian says the token has, and token_version + 1,
 * in ONE update guarded by the version the refresh started from. Atlassian has already disabled
 * the old refresh token, so this write must land before the new access token is handed out; the
 * guard means an older result never overwrites a newer one. Also closes the refresh journal entry
 * and the lease. Returns false when the row moved on.
 */
export async function storeRefreshedTokens(
  svc: Services,
  row: ExternalAccountTable,
  tokens: { accessToken: string; refreshToken: string | undefined; expiresAt: number; scopes: string[] },
): Promise<boolean> {
  return writeIfUnchanged(svc, row, {
    access_token_enc: encryptToken(svc, row.id, "access_token", tokens.accessToken),
    ...(tokens.refreshToken !== undefined
      ? { refresh_token_enc: encryptToken(svc, row.id, "refresh_token", tokens.refreshToken) }
      : {}),
    access_token_expires_at: tokens.expiresAt,
    // Atlassian's answer is the truth about the grant's scopes; an answer without any keeps ours.
    ...(tokens.scopes.length > 0 ? { approved_scopes: tokens.scopes.join(" ") } : {}),
    refresh_intent_at: null,
    last_refreshed_at: svc.now(),
    last_refresh_error: null,
    refresh_failures: 0,
  });
}

/**
 * Atlassian declared the grant dead: drop the useless tokens and flag the account with the
 * reason, unless another process stored newer tokens meanwhile (then the version guard fails and
 * nothing changes). The user and their sessions stay: only the app's access to Atlassian needs
 * the user again.
 */
export async function markReauthorizationRequired(
  svc: Services,
  row: ExternalAccountTable,
  reason: ReauthorizationReason,
): Promise<boolean> {
  return writeIfUnchanged(svc, row, {
    status: "reauthorization_required",
    reauthorization_reason: reason,
    last_refresh_error: "oauth_reauthorization_required",
    refresh_intent_at: null,
    access_token_enc: null,
    access_token_expires_at: null,
    refresh_token_enc: null,
  });
}

/**
 * One token write guarded by token_version: it lands only if nobody wrote the account's tokens
 * since `row` was read, bumps the version and ends any refresh lease. The grant events it causes
 * (reauthorization required, scopes changed) are written in the same transaction.
 */
async function writeIfUnchanged(
  svc: Services,
  row: ExternalAccountTable,
  set: Partial<ExternalAccountTable>,
): Promise<boolean> {
  const now = svc.now();
  return svc.db.kysely.transaction().execute(async (trx) => {
    const after = await trx
      .updateTable("external_accounts")
      .set({
        ...set,
        token_version: row.token_version + 1,
        refresh_lock_owner: null,
        refresh_lock_until: null,
        updated_at: now,
      })
      .where("id", "=", row.id)
      .where("token_version", "=", row.token_version)
      .returningAll()
      .executeTakeFirst();
    if (!after) return false;
    await emitGrantChanges(trx, row, after, now, { updated: false });
    return true;
  });
}
