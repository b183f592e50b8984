import type { Database } from "./schema.js";

/**
 * Every column that holds a Keyring ciphertext, and the associated data (AAD) that binds each
 * value to its row. The writers import their AAD functions from here, so `foyer rekey` and the
 * start-up key check re-encrypt and count exactly what the writers wrote, with the same AAD.
 * A new encrypted column must be added here: `encrypted-columns.test.ts` fails on a `_enc`
 * column of the schema that is missing, or a value would be left under an old key and break
 * once that key is dropped.
 */

/** Atlassian tokens on an external account, bound to the row and to which token it is. */
export function tokenAad(externalAccountId: string, kind: "access_token" | "refresh_token"): string {
  return `external_accounts:${externalAccountId}:${kind}`;
}

/** An instance's own Atlassian Client Secret. */
export function clientSecretAad(instanceId: string, provider: string): string {
  return `social_connections:${instanceId}:${provider}:client_secret`;
}

/** A secret key, kept encrypted so the dashboard can reveal it. */
export function secretKeyAad(instanceId: string, id: string): string {
  return `secret_keys:${instanceId}:${id}:key`;
}

/** An instance's RS256 private signing key (PEM). */
export function signingKeyAad(instanceId: string, kid: string): string {
  return `signing_keys:${instanceId}:${kid}:private_key`;
}

/** An instance's authorization-server private key (a JWK), apart from the session signing keys. */
export function oauthServerKeyAad(instanceId: string, kid: string): string {
  return `oauth_server_keys:${instanceId}:${kid}:private_jwk`;
}

/** The PKCE code verifier of a sign-in in progress. */
export function codeVerifierAad(transactionId: string): string {
  return `oauth_transactions:${transactionId}:code_verifier`;
}

/** A webhook endpoint's `whsec_` signing secret, and the one before its last rotation (still signing for a day). */
export function webhookSecretAad(
  instanceId: string,
  id: string,
  which: "secret" | "previous_secret",
): string {
  return `webhook_endpoints:${instanceId}:${id}:${which}`;
}

/** The canary in foyer_meta proves at start that the configured keys open this database. */
export const CANARY_KEY = "encryption_canary";
export const CANARY_TEXT = "foyer-encryption-canary";
export function canaryAad(): string {
  return CANARY_KEY;
}

type Row = Record<string, string>;

export interface EncryptedColumn {
  table: keyof Database;
  column: string;
  /** Columns that identify one row, for the compare-and-swap update. */
  primaryKey: readonly string[];
  /** Every column `aad` reads (the primary key and any other). */
  aadColumns: readonly string[];
  aad(row: Row): string;
  /** Only rows with these values hold a ciphertext in this column (foyer_meta holds other data too). */
  only?: Readonly<Record<string, string>>;
}

export const ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = [
  {
    table: "external_accounts",
    column: "access_token_enc",
    primaryKey: ["id"],
    aadColumns: ["id"],
    aad: (r) => tokenAad(r.id!, "access_token"),
  },
  {
    table: "external_accounts",
    column: "refresh_token_enc",
    primaryKey: ["id"],
    aadColumns: ["id"],
    aad: (r) => tokenAad(r.id!, "refresh_token"),
  },
  {
    table: "social_connections",
    column: "client_secret_enc",
    primaryKey: ["instance_id", "provider"],
    aadColumns: ["instance_id", "provider"],
    aad: (r) => clientSecretAad(r.instance_id!, r.provider!),
  },
  {
    table: "secret_keys",
    column: "key_enc",
    primaryKey: ["id"],
    aadColumns: ["id", "instance_id"],
    aad: (r) => secretKeyAad(r.instance_id!, r.id!),
  },
  {
    table: "signing_keys",
    column: "private_key_enc",
    primaryKey: ["kid"],
    aadColumns: ["kid", "instance_id"],
    aad: (r) => signingKeyAad(r.instance_id!, r.kid!),
  },
  {
    table: "oauth_server_keys",
    column: "private_jwk_enc",
    primaryKey: ["kid"],
    aadColumns: ["kid", "instance_id"],
    aad: (r) => oauthServerKeyAad(r.instance_id!, r.kid!),
  },
  {
    table: "oauth_transactions",
    column: "code_verifier_enc",
    primaryKey: ["id"],
    aadColumns: ["id"],
    aad: (r) => codeVerifierAad(r.id!),
  },
  {
    table: "webhook_endpoints",
    column: "secret_enc",
    primaryKey: ["id"],
    aadColumns: ["id", "instance_id"],
    aad: (r) => webhookSecretAad(r.instance_id!, r.id!, "secret"),
  },
  {
    table: "webhook_endpoints",
    column: "previous_secret_enc",
    primaryKey: ["id"],
    aadColumns: ["id", "instance_id"],
    aad: (r) => webhookSecretAad(r.instance_id!, r.id!, "previous_secret"),
  },
];

/** The canary, re-encrypted by rekey only once nothing else remains under an old key. */
export const CANARY_COLUMN: EncryptedColumn = {
  table: "foyer_meta",
  column: "value",
  primaryKey: ["key"],
  aadColumns: ["key"],
  aad: () => canaryAad(),
  only: { key: CANARY_KEY },
};

/** "v1.<keyid>.<nonce>.<body>": the key id sits at characters 4 to 11 (1-based, as SQL counts). */
export const KEY_ID_START = 4;
export const KEY_ID_LENGTH = 8;
