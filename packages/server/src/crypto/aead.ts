import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/**
 * Encryption at rest for tokens, client secrets, secret keys and private keys.
 * AES-256-GCM, a fresh 96-bit nonce per write, and the row's identity as associated data, so a
 * ciphertext copied onto another row or column fails to decrypt. Each ciphertext names its key id,
 * so the key can be rotated: new writes use the current key, old ones still decrypt with a
 * previous key until rewritten.
 */
export interface Keyring {
  currentKeyId: string;
  /** Every key id this keyring can decrypt: the current one first, then the previous ones. */
  keyIds: readonly string[];
  encrypt(plaintext: string, aad: string): string;
  decrypt(ciphertext: string, aad: string): string;
}

const VERSION = "v1";

export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DecryptionError";
  }
}

export function keyIdOf(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 8);
}

/** Parses a base64 (or base64url) 32-byte key; throws a message fit for a start-up error. */
export function parseKey(encoded: string, name: string): Buffer {
  const key = Buffer.from(
    encoded.trim(),
    encoded.includes("-") || encoded.includes("_") ? "base64url" : "base64",
  );
  if (key.length !== 32) {
    throw new Error(`${name} must be 32 bytes encoded in base64 (got ${key.length} bytes).`);
  }
  return key;
}

export function createKeyring(current: Buffer, previous: Buffer[] = []): Keyring {
  const keys = new Map<string, Buffer>();
  for (const k of [current, ...previous]) keys.set(keyIdOf(k), k);
  const currentKeyId = keyIdOf(current);
  return {
    currentKeyId,
    keyIds: [...keys.keys()],
    encrypt(plaintext, aad) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", current, nonce);
      cipher.setAAD(Buffer.from(aad, "utf8"));
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
      return `${VERSION}.${currentKeyId}.${nonce.toString("base64url")}.${body.toString("base64url")}`;
    },
    decrypt(ciphertext, aad) {
      const [version, keyId, nonceB64, bodyB64] = ciphertext.split(".");
      if (version !== VERSION || !keyId || !nonceB64 || !bodyB64) {
        throw new DecryptionError("Not a Foyer ciphertext.");
      }
      const key = keys.get(keyId);
      if (!key) throw new DecryptionError(`No encryption key with id ${keyId} is configured.`);
      const body = Buffer.from(bodyB64, "base64url");
      if (body.length < 16) throw new DecryptionError("Ciphertext too short.");
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(nonceB64, "base64url"));
      decipher.setAAD(Buffer.from(aad, "utf8"));
      decipher.setAuthTag(body.subarray(body.length - 16));
      try {
        return Buffer.concat([
          decipher.update(body.subarray(0, body.length - 16)),
          decipher.final(),
        ]).toString("utf8");
      } catch {
        throw new DecryptionError("Ciphertext does not authenticate (wrong key or moved between rows).");
      }
    },
  };
}
