import { generateKeyPairSync, type JsonWebKey } from "node:crypto";
import { newId } from "../crypto/random.js";
import { oauthServerKeyAad } from "../db/encrypted-columns.js";
import type { Services } from "../services.js";

/**
 * The authorization server's own ES256 key per instance, for access tokens (RFC 9068) and ID
 * tokens. It is never a session signing key (those are RS256, in `signing_keys`): a different
 * table, a different kid prefix, a different algorithm, and a different JWKS
 * (`<issuer>/oauth/jwks`), so a session verifier never finds this key and an access-token
 * verifier never finds a session key. Made on first use; the private JWK is encrypted at rest.
 */
export const AS_KID_PREFIX = "oas_key";

export interface OAuthServerKey {
  kid: string;
  /** The private JWK as oidc-provider's `jwks` option takes it (kid, alg and use set). */
  privateJwk: JsonWebKey & { kid: string; alg: "ES256"; use: "sig" };
}

async function readKeys(svc: Services, instanceId: string): Promise<OAuthServerKey[]> {
  const rows = await svc.db.kysely
    .selectFrom("oauth_server_keys")
    .select(["kid", "private_jwk_enc"])
    .where("instance_id", "=", instanceId)
    .orderBy("created_at", "desc")
    .execute();
  return rows.map((r) => ({
    kid: r.kid,
    privateJwk: JSON.parse(
      svc.keyring.decrypt(r.private_jwk_enc, oauthServerKeyAad(instanceId, r.kid)),
    ) as OAuthServerKey["privateJwk"],
  }));
}

/** The instance's authorization-server keys, newest first (signing uses the first); made if none. */
export async function oauthServerKeys(svc: Services, instanceId: string): Promise<OAuthServerKey[]> {
  const existing = await readKeys(svc, instanceId);
  if (existing.length > 0) return existing;
  const kid = newId(AS_KID_PREFIX);
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const privateJwk = {
    ...privateKey.export({ format: "jwk" }),
    kid,
    alg: "ES256" as const,
    use: "sig" as const,
  };
  const publicJwk = { ...publicKey.export({ format: "jwk" }), kid, alg: "ES256", use: "sig" };
  await svc.db.kysely
    .insertInto("oauth_server_keys")
    .values({
      kid,
      instance_id: instanceId,
      alg: "ES256",
      public_jwk: JSON.stringify(publicJwk),
      private_jwk_enc: svc.keyring.encrypt(JSON.stringify(privateJwk), oauthServerKeyAad(instanceId, kid)),
      created_at: svc.now(),
    })
    .execute();
  // Two processes may both have made one at once: both are published, and every process, having
  // read the same list, signs with the newest.
  return readKeys(svc, instanceId);
}
