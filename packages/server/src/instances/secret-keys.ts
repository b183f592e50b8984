import { newId, randomToken, sha256Hex } from "../crypto/random.js";
import { changeTransaction } from "../db/change-feed.js";
import { preparedQuery } from "../db/prepared.js";
import type { SecretKeyTable } from "../db/schema.js";
import { ApiError } from "../errors/api-error.js";
import type { Services } from "../services.js";
import { type Instance, toInstance } from "./instance-row.js";

/**
 * Secret keys authenticate app servers on the Backend API. 256 random bits; stored as a SHA-256
 * hash for lookup (a database leak does not leak usable keys by index) and encrypted so the
 * dashboard can reveal them.
 */
export interface SecretKey {
  id: string;
  key: string;
  created_at: number;
}

function aad(instanceId: string, id: string): string {
  return `secret_keys:${instanceId}:${id}:key`;
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
      key_enc: svc.keyring.encrypt(key, aad(instanceId, id)),
      created_at: svc.now(),
    },
  };
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
  return { id: row.id, key, created_at: row.created_at };
}

export async function listSecretKeys(svc: Services, instanceId: string): Promise<SecretKey[]> {
  const rows = await svc.db.kysely
    .selectFrom("secret_keys")
    .selectAll()
    .where("instance_id", "=", instanceId)
    .orderBy("created_at", "asc")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    key: svc.keyring.decrypt(r.key_enc, aad(instanceId, r.id)),
    created_at: r.created_at,
  }));
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
