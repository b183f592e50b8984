import type { SecretKeyJSON } from "@foyer/contract";
import { newId, randomToken, sha256Hex } from "../crypto/random.js";
import { changeTransaction } from "../db/change-feed.js";
import { secretKeyAad } from "../db/encrypted-columns.js";
import { preparedQuery } from "../db/prepared.js";
import type { SecretKeyTable } from "../db/schema.js";
import { ApiError } from "../errors/api-error.js";
import type { Services } from "../services.js";
import { type Instance, toInstance } from "./instance-row.js";

/**
 * Secret keys authenticate app servers on the Backend API. 256 random bits; stored as a SHA-256
 * hash for lookup (a database leak does not leak usable keys by index). A production key
 * (`sk_live_`) is shown in full once, in the answer that creates it, and then only as its prefix
 * and last four: Foyer keeps no encrypted copy of it, because a copy that can never be shown is
 * only something to leak. Development keys (`sk_test_`) are also kept encrypted, so the dashboard
 * and `npm start` can show them again, as Clerk does.
 */
export interface SecretKey {
  id: string;
  keyPrefix: string;
  last4: string;
  /** The whole key: when just created, or always for a development key. */
  key?: string;
  created_at: number;
}

/** `sk_live_` and four characters of the random part: enough to recognise, far too little to use. */
const PREFIX_RANDOM_CHARS = 4;

const aad = secretKeyAad;

function isProductionKey(key: string): boolean {
  return key.startsWith("sk_live_");
}

function displayParts(key: string): { key_prefix: string; last4: string } {
  return { key_prefix: key.slice(0, "sk_live_".length + PREFIX_RANDOM_CHARS), last4: key.slice(-4) };
}

export function newSecretKeyRow(
  svc: Services,
  instanceId: string,
  environment: "development" | "production",
): { row: SecretKeyTable; key: string } {
  const id = newId("sk");
  const key = (environment === "production" ? "sk_live_" : "sk_test_") + randomToken(32);
  return {
    key,
    row: {
      id,
      instance_id: instanceId,
      key_hash: sha256Hex(key),
      key_enc: isProductionKey(key) ? null : svc.keyring.encrypt(key, aad(instanceId, id)),
      ...displayParts(key),
      created_at: svc.now(),
    },
  };
}

/** The key as its creator sees it, whole, whatever its environment. */
export function createdSecretKey(row: SecretKeyTable, key: string): SecretKey {
  const { key_prefix, last4 } = displayParts(key);
  return { id: row.id, keyPrefix: key_prefix, last4, key, created_at: row.created_at };
}

export async function createSecretKey(
  svc: Services,
  instanceId: string,
  environment: "development" | "production",
): Promise<SecretKey> {
  const { row, key } = newSecretKeyRow(svc, instanceId, environment);
  await changeTransaction(svc.db, [{ kind: "secret_keys", instanceId }], (trx) =>
    trx.insertInto("secret_keys").values(row).execute(),
  );
  return createdSecretKey(row, key);
}

/**
 * The instance's keys as later answers show them: development keys whole, production keys as
 * prefix and last four only. Rows older than migration 013 get their prefix here, and a
 * production key's encrypted copy is dropped on that first read.
 */
export async function listSecretKeys(svc: Services, instanceId: string): Promise<SecretKey[]> {
  const rows = await svc.db.kysely
    .selectFrom("secret_keys")
    .selectAll()
    .where("instance_id", "=", instanceId)
    .orderBy("created_at", "asc")
    .execute();
  const keys: SecretKey[] = [];
  for (const r of rows) {
    const stored = r.key_enc === null ? undefined : svc.keyring.decrypt(r.key_enc, aad(instanceId, r.id));
    let parts =
      r.key_prefix !== null && r.last4 !== null ? { key_prefix: r.key_prefix, last4: r.last4 } : null;
    if (!parts || (stored !== undefined && isProductionKey(stored))) {
      if (stored === undefined) throw new Error(`secret key ${r.id} has neither a prefix nor a stored key`);
      parts = displayParts(stored);
      await svc.db.kysely
        .updateTable("secret_keys")
        .set({ ...parts, ...(isProductionKey(stored) ? { key_enc: null } : {}) })
        .where("id", "=", r.id)
        .execute();
    }
    const revealable = stored !== undefined && !isProductionKey(stored);
    keys.push({
      id: r.id,
      keyPrefix: parts.key_prefix,
      last4: parts.last4,
      ...(revealable ? { key: stored } : {}),
      created_at: r.created_at,
    });
  }
  return keys;
}

/** A key as the Platform API shows it. */
export function secretKeyJson(key: SecretKey): SecretKeyJSON {
  return {
    object: "secret_key",
    id: key.id,
    key_prefix: key.keyPrefix,
    last4: key.last4,
    ...(key.key !== undefined ? { key: key.key } : {}),
    created_at: key.created_at,
  };
}

/**
 * Revokes a key at once, on every process: no process keeps keys in memory (each Backend API
 * request looks its key up by hash), and the change is announced for any that ever would. The
 * last key of an instance cannot go (the app would be locked out).
 */
export async function deleteSecretKey(svc: Services, instanceId: string, keyId: string): Promise<void> {
  await changeTransaction(svc.db, [{ kind: "secret_keys", instanceId }], async (trx) => {
    const keys = await trx
      .selectFrom("secret_keys")
      .select("id")
      .where("instance_id", "=", instanceId)
      .execute();
    if (!keys.some((k) => k.id === keyId))
      throw new ApiError("resource_not_found", { meta: { secret_key_id: keyId } });
    if (keys.length === 1) throw new ApiError("secret_key_last");
    await trx
      .deleteFrom("secret_keys")
      .where("id", "=", keyId)
      .where("instance_id", "=", instanceId)
      .execute();
  });
}

/**
 * The instance a secret key belongs to, or undefined, in one query. Lookup by hash: the key
 * itself is never stored or queried.
 */
export async function instanceForSecretKey(svc: Services, key: string): Promise<Instance | undefined> {
  if (!/^sk_(test|live)_[A-Za-z0-9_-]{20,100}$/.test(key)) return undefined;
  const [row] = await instanceByKeyHash(svc.db.kysely, sha256Hex(key));
  return row ? toInstance(row) : undefined;
}

// Runs on every Backend API request.
const instanceByKeyHash = preparedQuery((db, keyHash: string) =>
  db
    .selectFrom("secret_keys")
    .innerJoin("instances", "instances.id", "secret_keys.instance_id")
    .selectAll("instances")
    .where("secret_keys.key_hash", "=", keyHash),
);
