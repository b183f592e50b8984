import { sha256Hex } from "../crypto/random.js";
import type { Services } from "../services.js";

/**
 * oidc-provider's storage (its `Adapter` interface), over one table for every model: codes,
 * access and refresh tokens, grants, sessions, interactions, registered clients. Rows are keyed
 * by (instance, model, SHA-256 of the id): an authorization code or refresh token is a bearer
 * secret, so a copy of the database must not hand them out. Expired rows are never returned and
 * are removed when read and by `sweepExpiredPayloads`.
 *
 * The id is also what oidc-provider uses to look a token up, so hashing costs no index: the
 * lookup is by `id_hash`, never by the plain id.
 */
export type Payload = Record<string, unknown> & {
  grantId?: string;
  uid?: string;
  userCode?: string;
  accountId?: string;
  clientId?: string;
  consumed?: number;
};

/**
 * Models whose id is itself a bearer secret (the code, the opaque token): their payload is stored
 * without `jti` (oidc-provider puts the id there) and `find` puts it back from the id asked for.
 * Grants keep theirs (a grant id is no credential, and a user's approvals are found by it);
 * sessions and interactions too (found by uid; useless without the Foyer session cookie).
 */
const SECRET_ID_MODELS = new Set([
  "AccessToken",
  "AuthorizationCode",
  "RefreshToken",
  "ClientCredentials",
  "DeviceCode",
  "BackchannelAuthenticationRequest",
  "RegistrationAccessToken",
  "InitialAccessToken",
  "PushedAuthorizationRequest",
]);

export interface PayloadAdapter {
  upsert(id: string, payload: Payload, expiresIn?: number): Promise<void>;
  find(id: string): Promise<Payload | undefined>;
  findByUid(uid: string): Promise<Payload | undefined>;
  findByUserCode(userCode: string): Promise<Payload | undefined>;
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}

/** The key a row is stored under: never the id itself. */
export function payloadKey(id: string): string {
  return sha256Hex(id);
}

/** Each process sweeps expired rows at most this often, from a write (no timer to start or stop). */
const SWEEP_EVERY_MS = 10 * 60_000;
const sweptAt = new WeakMap<Services, number>();

function maybeSweep(svc: Services): void {
  const last = sweptAt.get(svc) ?? Number.NEGATIVE_INFINITY;
  if (svc.now() - last < SWEEP_EVERY_MS) return;
  sweptAt.set(svc, svc.now());
  sweepExpiredPayloads(svc).catch((err) =>
    svc.log.warn(
      { job: "oauth_server_sweep", err: String(err) },
      "sweep of expired authorization-server rows failed",
    ),
  );
}

export function payloadAdapter(svc: Services, instanceId: string, model: string): PayloadAdapter {
  const rows = () =>
    svc.db.kysely
      .selectFrom("oauth_server_payloads")
      .where("instance_id", "=", instanceId)
      .where("model", "=", model);

  const live = async (
    row:
      | { id_hash: string; payload_json: string; expires_at: number | null; consumed_at: number | null }
      | undefined,
  ): Promise<Payload | undefined> => {
    if (!row) return undefined;
    if (row.expires_at !== null && row.expires_at <= svc.now()) {
      await svc.db.kysely
        .deleteFrom("oauth_server_payloads")
        .where("instance_id", "=", instanceId)
        .where("model", "=", model)
        .where("id_hash", "=", row.id_hash)
        .execute();
      return undefined;
    }
    const payload = JSON.parse(row.payload_json) as Payload;
    if (row.consumed_at !== null) payload.consumed = Math.floor(row.consumed_at / 1000);
    return payload;
  };
  const columns = ["id_hash", "payload_json", "expires_at", "consumed_at"] as const;

  return {
    async upsert(id, payload, expiresIn) {
      const now = svc.now();
      const stored = SECRET_ID_MODELS.has(model) ? { ...payload, jti: undefined } : payload;
      const values = {
        payload_json: JSON.stringify(stored),
        grant_id: typeof payload.grantId === "string" ? payload.grantId : null,
        uid: typeof payload.uid === "string" ? payload.uid : null,
        user_code: typeof payload.userCode === "string" ? sha256Hex(payload.userCode) : null,
        // A grant is the user's approval of a client: listed and revoked by (user, client).
        account_id: typeof payload.accountId === "string" ? payload.accountId : null,
        client_id: typeof payload.clientId === "string" ? payload.clientId : null,
        expires_at: expiresIn ? now + expiresIn * 1000 : null,
      };
      await svc.db.kysely
        .insertInto("oauth_server_payloads")
        .values({
          instance_id: instanceId,
          model,
          id_hash: payloadKey(id),
          consumed_at: null,
          created_at: now,
          ...values,
        })
        .onConflict((oc) => oc.columns(["instance_id", "model", "id_hash"]).doUpdateSet(values))
        .execute();
      maybeSweep(svc);
    },
    async find(id) {
      const found = await live(
        await rows().select(columns).where("id_hash", "=", payloadKey(id)).executeTakeFirst(),
      );
      return found && SECRET_ID_MODELS.has(model) ? { ...found, jti: id } : found;
    },
    async findByUid(uid) {
      return live(await rows().select(columns).where("uid", "=", uid).executeTakeFirst());
    },
    async findByUserCode(userCode) {
      return live(
        await rows().select(columns).where("user_code", "=", sha256Hex(userCode)).executeTakeFirst(),
      );
    },
    async consume(id) {
      await svc.db.kysely
        .updateTable("oauth_server_payloads")
        .set({ consumed_at: svc.now() })
        .where("instance_id", "=", instanceId)
        .where("model", "=", model)
        .where("id_hash", "=", payloadKey(id))
        .execute();
    },
    async destroy(id) {
      await svc.db.kysely
        .deleteFrom("oauth_server_payloads")
        .where("instance_id", "=", instanceId)
        .where("model", "=", model)
        .where("id_hash", "=", payloadKey(id))
        .execute();
    },
    async revokeByGrantId(grantId) {
      // Every model holding the grant: its codes, access and refresh tokens (the Grant row itself
      // is destroyed by oidc-provider, by id).
      await svc.db.kysely
        .deleteFrom("oauth_server_payloads")
        .where("instance_id", "=", instanceId)
        .where("grant_id", "=", grantId)
        .execute();
    },
  };
}

/** Removes expired rows of every instance; run periodically (a read also drops what it finds expired). */
export async function sweepExpiredPayloads(svc: Services): Promise<number> {
  const res = await svc.db.kysely
    .deleteFrom("oauth_server_payloads")
    .where("expires_at", "<=", svc.now())
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
