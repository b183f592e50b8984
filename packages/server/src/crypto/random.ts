import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** URL-safe random string carrying `bytes` bytes of entropy (default 32 = 256 bits). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

const ID_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

/** Prefixed ids in Clerk's manner (`ins_…`, `user_…`): 128 random bits, lower-case base36. */
export function newId(prefix: string): string {
  const bytes = randomBytes(16);
  let n = BigInt(`0x${bytes.toString("hex")}`);
  let out = "";
  while (n > 0n) {
    out = ID_ALPHABET[Number(n % 36n)] + out;
    n /= 36n;
  }
  return `${prefix}_${out.padStart(25, "0")}`;
}

/** SHA-256 hex, for looking secrets up by hash without storing them. */
export function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/** Constant-time string comparison (hashes first so lengths never leak). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash("sha256").update(a).digest();
  const hb = createHash("sha256").update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}
