import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createKeyring, DecryptionError } from "./aead.js";

describe("AES-256-GCM keyring", () => {
  const key = randomBytes(32);
  const ring = createKeyring(key);

  it("round-trips with a fresh nonce per write", () => {
    const a = ring.encrypt("secret", "row:1");
    const b = ring.encrypt("secret", "row:1");
    expect(a).not.toBe(b);
    expect(a).not.toContain("secret");
    expect(ring.decrypt(a, "row:1")).toBe("secret");
  });

  it("refuses a ciphertext moved to another row", () => {
    const c = ring.encrypt("secret", "external_accounts:eac_1:access_token");
    expect(() => ring.decrypt(c, "external_accounts:eac_2:access_token")).toThrow(DecryptionError);
  });

  it("refuses a tampered ciphertext and an unknown key", () => {
    const c = ring.encrypt("secret", "row");
    const parts = c.split(".");
    const body = Buffer.from(parts[3]!, "base64url");
    body[0] = body[0]! ^ 1;
    parts[3] = body.toString("base64url");
    expect(() => ring.decrypt(parts.join("."), "row")).toThrow(DecryptionError);
    expect(() => createKeyring(randomBytes(32)).decrypt(c, "row")).toThrow(/No encryption key/);
  });

  it("decrypts with a previous key during rotation and writes with the new one", () => {
    const next = createKeyring(randomBytes(32), [key]);
    const old = ring.encrypt("secret", "row");
    expect(next.decrypt(old, "row")).toBe("secret");
    expect(next.encrypt("x", "row").split(".")[1]).toBe(next.currentKeyId);
  });
});
