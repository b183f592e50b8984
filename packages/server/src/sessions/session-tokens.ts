import type { SessionOrganizationClaim } from "@foyer/contract";
import type { Kysely } from "kysely";
import { sha256Hex } from "../crypto/random.js";
import { preparedQuery } from "../db/prepared.js";
import type { Database } from "../db/schema.js";
import { ApiError } from "../errors/api-error.js";
import type { Instance } from "../instances/instances.js";
import { type ActiveSigningKey, activeSigningKey } from "../instances/signing-keys.js";
import type { Services } from "../services.js";
import { assertUserMayAuthenticate } from "../users/restrictions.js";
import { signSessionJwt } from "./session-jwt.js";
import { sessionIsLive } from "./session-status.js";

/**
 * Mints a session token for session `sessionId` of the client whose cookie is `clientToken`.
 *
 * The happy path is one statement: an UPDATE that touches `last_active_at` only where the session
 * belongs to this client and instance, is active, and is within its maximum lifetime and
 * inactivity timeout, RETURNING the user. Liveness is therefore decided atomically with the
 * touch, and a mint never costs more than one round trip next to the signature. Only when it
 * matches nothing does a second query find out why (and write down `expired`).
 *
 * A deleted user's sessions are deleted with it (foreign key cascade), so they mint nothing; a
 * banned or locked user's are revoked, and the statement checks the user as well.
 */
export async function mintSessionToken(
  svc: Services,
  instance: Instance,
  clientToken: string | undefined,
  sessionId: string,
  azp: string | undefined,
): Promise<{ jwt: string; exp: number }> {
  if (!clientToken || clientToken.length > 200) throw new ApiError("client_not_found");
  const now = svc.now();
  const idle = instance.session_inactivity_timeout_seconds;
  const tokenHash = sha256Hex(clientToken);
  const [touched] =
    idle === null
      ? await touchLiveSession(svc.db.kysely, sessionId, instance.id, now, tokenHash)
      : await touchLiveSessionWithIdle(
          svc.db.kysely,
          sessionId,
          instance.id,
          now,
          tokenHash,
          now - idle * 1000,
        );
  if (!touched) await explainRefusal(svc, instance, tokenHash, sessionId, now);
  const { jwt, payload } = signSessionJwt(
    await signingKey(svc, instance.id, touched!.kid),
    { iss: instance.frontend_api_url, sub: touched!.user_id, sid: sessionId, azp, o: orgClaim(touched!) },
    now,
  );
  return { jwt, exp: payload.exp };
}

/**
 * The mint's one statement, compiled once (with and without an inactivity timeout): touch
 * `last_active_at` only where the session is this client's, in this instance, active and within
 * its lifetime, and hand back the user and the active key's kid.
 */
function touchQuery(
  db: Kysely<Database>,
  sessionId: string,
  instanceId: string,
  now: number,
  tokenHash: string,
) {
  return (
    db
      .updateTable("sessions")
      .set({ last_active_at: now, updated_at: now })
      .where("id", "=", sessionId)
      .where("instance_id", "=", instanceId)
      .where("status", "=", "active")
      .where("expire_at", ">", now)
      .where("client_id", "in", (eb) =>
        eb
          .selectFrom("clients")
          .select("id")
          .where("token_hash", "=", tokenHash)
          .where("instance_id", "=", instanceId),
      )
      // A ban revokes the sessions too; this holds even for one a racing sign-in just made.
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom("users")
            .select("users.id")
            .whereRef("users.id", "=", "sessions.user_id")
            .where("users.banned", "=", 0)
            .where("users.locked", "=", 0),
        ),
      )
      // The active key's kid rides along, so a cached key needs no second query; so does the
      // active organization, named only while the user is still a member of it.
      .returning((eb) => [
        "user_id",
        "active_organization_id",
        eb
          .selectFrom("organization_memberships")
          .select("role")
          .whereRef("organization_memberships.organization_id", "=", "sessions.active_organization_id")
          .whereRef("organization_memberships.user_id", "=", "sessions.user_id")
          .as("org_role"),
        eb
          .selectFrom("organizations")
          .select("slug")
          .whereRef("organizations.id", "=", "sessions.active_organization_id")
          .as("org_slug"),
        eb
          .selectFrom("organizations")
          .select("atlassian_cloud_id")
          .whereRef("organizations.id", "=", "sessions.active_organization_id")
          .as("org_cloud_id"),
        eb
          .selectFrom("signing_keys")
          .select("kid")
          .where("instance_id", "=", instanceId)
          .where("retired_at", "is", null)
          .orderBy("created_at", "desc")
          .limit(1)
          .as("kid"),
      ])
  );
}

const touchLiveSession = preparedQuery(touchQuery);
const touchLiveSessionWithIdle = preparedQuery(
  (db, sessionId: string, instanceId: string, now: number, tokenHash: string, idleCutoff: number) =>
    touchQuery(db, sessionId, instanceId, now, tokenHash).where("last_active_at", ">", idleCutoff),
);

/** Clerk's v2 `o` claim from the mint's row: nothing unless the membership still stands. */
function orgClaim(row: {
  active_organization_id: string | null | undefined;
  org_role: string | null;
  org_slug: string | null;
  org_cloud_id: string | null;
}): SessionOrganizationClaim | undefined {
  if (!row.active_organization_id || !row.org_role || row.org_slug === null) return undefined;
  return {
    id: row.active_organization_id,
    rol: row.org_role.replace(/^org:/, ""),
    slg: row.org_slug,
    ...(row.org_cloud_id ? { cloud_id: row.org_cloud_id } : {}),
  };
}

// Parsed private keys by kid. Keys never change under a kid, so entries never go stale; a
// rotation brings a new kid, which misses here once and is loaded through activeSigningKey.
const keysByKid = new Map<string, ActiveSigningKey>();

async function signingKey(svc: Services, instanceId: string, kid: string | null): Promise<ActiveSigningKey> {
  const cached = kid ? keysByKid.get(kid) : undefined;
  if (cached) return cached;
  const key = await activeSigningKey(svc, instanceId);
  keysByKid.set(key.kid, key);
  return key;
}

/** Why a mint matched nothing; marks a lapsed session `expired` on the way. Always throws. */
async function explainRefusal(
  svc: Services,
  instance: Instance,
  tokenHash: string,
  sessionId: string,
  now: number,
): Promise<never> {
  const row = await svc.db.kysely
    .selectFrom("sessions")
    .innerJoin("clients", "clients.id", "sessions.client_id")
    .selectAll("sessions")
    .select("clients.token_hash")
    .where("sessions.id", "=", sessionId)
    .where("sessions.instance_id", "=", instance.id)
    .executeTakeFirst();
  // Another client's session is indistinguishable from a missing one: ids do not leak.
  if (!row || row.token_hash !== tokenHash) {
    const client = await svc.db.kysely
      .selectFrom("clients")
      .select("id")
      .where("token_hash", "=", tokenHash)
      .where("instance_id", "=", instance.id)
      .executeTakeFirst();
    throw new ApiError(client ? "session_not_found" : "client_not_found");
  }
  if (row.status === "active" && sessionIsLive(row, instance, now)) {
    await assertUserMayAuthenticate(svc.db.kysely, instance.id, row.user_id);
  }
  if (row.status === "active" && !sessionIsLive(row, instance, now)) {
    await svc.db.kysely
      .updateTable("sessions")
      .set({ status: "expired", ended_at: now, updated_at: now })
      .where("id", "=", sessionId)
      .where("status", "=", "active")
      .execute();
  }
  throw new ApiError("session_inactive");
}
