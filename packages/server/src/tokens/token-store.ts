import type { ExternalAccountTable } from "../db/schema.js";
import type { Services } from "../services.js";

/**
 * Atlassian tokens at rest. Each is bound to its row and column as associated data, so a
 * ciphertext copied onto another external account (or swapped between the access and refresh
 * columns) fails to decrypt instead of handing one user's grant to another.
 */
export function tokenAad(externalAccountId: string, kind: "access_token" | "refresh_token"): string {
  return `external_accounts:${externalAccountId}:${kind}`;
}

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
