import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { newId } from "../crypto/random.js";
import { changeTransaction } from "../db/change-feed.js";
import { signingKeyAad } from "../db/encrypted-columns.js";
import type { SigningKeyTable } from "../db/schema.js";
import type { Services } from "../services.js";

/**
 * Each instance signs its session JWTs with its own RS256 key pair. The private key is stored
 * encrypted; the public key is published in the instance's JWKS. A retired key stays published
 * for RETIRED_KEY_GRACE_MS so tokens signed just before a rotation still verify.
 */
export const RETIRED_KEY_GRACE_MS = 24 * 60 * 60 * 1000;

export interface PublicJwk {
  kty: "RSA";
  n: string;
  e: string;
  kid: string;
  alg: "RS256";
  use: "sig";
}

export interface ActiveSigningKey {
  kid: string;
  privateKey: KeyObject;
}

const aad = signingKeyAad;

export function generateSigningKeyRow(svc: Services, instanceId: string): SigningKeyTable {
  const kid = newId("ins_key");
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = publicKey.export({ format: "jwk" }) as { n: string; e: string };
  const publicJwk: PublicJwk = { kty: "RSA", n: jwk.n, e: jwk.e, kid, alg: "RS256", use: "sig" };
  const pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  return {
    kid,
    instance_id: instanceId,
    alg: "RS256",
    public_jwk: JSON.stringify(publicJwk),
    private_key_enc: svc.keyring.encrypt(pem, aad(instanceId, kid)),
    created_at: svc.now(),
    retired_at: null,
  };
}

// Decrypting and parsing a PEM costs more than a signature: keep the parsed key per kid.
const privateKeyCache = new Map<string, KeyObject>();

export async function activeSigningKey(svc: Services, instanceId: string): Promise<ActiveSigningKey> {
  const row = await svc.db.kysely
    .selectFrom("signing_keys")
    .select(["kid", "private_key_enc"])
    .where("instance_id", "=", instanceId)
    .where("retired_at", "is", null)
    .orderBy("created_at", "desc")
    .executeTakeFirstOrThrow();
  let privateKey = privateKeyCache.get(row.kid);
  if (!privateKey) {
    privateKey = createPrivateKey(svc.keyring.decrypt(row.private_key_enc, aad(instanceId, row.kid)));
    privateKeyCache.set(row.kid, privateKey);
  }
  return { kid: row.kid, privateKey };
}

/** Public keys that verify this instance's tokens: the active one and recently retired ones. */
export async function publishedJwks(svc: Services, instanceId: string): Promise<{ keys: PublicJwk[] }> {
  const rows = await svc.db.kysely
    .selectFrom("signing_keys")
    .select(["public_jwk", "retired_at"])
    .where("instance_id", "=", instanceId)
    .orderBy("created_at", "desc")
    .execute();
  const cutoff = svc.now() - RETIRED_KEY_GRACE_MS;
  return {
    keys: rows
      .filter((r) => r.retired_at === null || r.retired_at > cutoff)
      .map((r) => JSON.parse(r.public_jwk) as PublicJwk),
  };
}

/**
 * Starts signing with a new key; the old one stays published through the grace period. Every
 * process signs with the new key from the commit on: a session token's mint reads the active
 * kid in its one statement, and parsed keys are cached only by kid, which never changes meaning.
 */
export async function rotateSigningKey(svc: Services, instanceId: string): Promise<string> {
  const row = generateSigningKeyRow(svc, instanceId);
  await changeTransaction(svc.db, [{ kind: "signing_keys", instanceId }], async (trx) => {
    await trx
      .updateTable("signing_keys")
      .set({ retired_at: svc.now() })
      .where("instance_id", "=", instanceId)
      .where("retired_at", "is", null)
      .execute();
    await trx.insertInto("signing_keys").values(row).execute();
  });
  return row.kid;
}

/** The PEM public key of the active signing key, for networkless verification by app servers. */
export async function activePublicKeyPem(svc: Services, instanceId: string): Promise<string> {
  const { privateKey } = await activeSigningKey(svc, instanceId);
  return createPublicKey(privateKey).export({ format: "pem", type: "spki" }).toString();
}
