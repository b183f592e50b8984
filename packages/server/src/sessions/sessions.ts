import { newId, randomToken, sha256Hex } from "../crypto/random.js";
import type { ClientTable, SessionTable } from "../db/schema.js";
import { ApiError } from "../errors/api-error.js";
import { emitSessionEvents } from "../events/event-data.js";
import type { Instance } from "../instances/instances.js";
import { pickedSiteOrganization } from "../organizations/site-organizations.js";
import type { Services } from "../services.js";
import { assertUserMayAuthenticate } from "../users/restrictions.js";
import { type DeviceSummary, UNKNOWN_DEVICE } from "./device.js";
import { sessionIsLive } from "./session-status.js";

/**
 * Starts a session at sign-in. Always a brand-new client with a fresh cookie value: whatever
 * client cookie the browser carried (possibly planted by an attacker) is never reused, which is
 * what defeats session fixation.
 */
export async function startSession(
  svc: Services,
  instance: Instance,
  userId: string,
  device: DeviceSummary = UNKNOWN_DEVICE,
  opts: { activeOrganizationId?: string } = {},
): Promise<{ clientToken: string; client: ClientTable; session: SessionTable }> {
  const now = svc.now();
  const clientToken = randomToken(32);
  const client: ClientTable = {
    id: newId("client"),
    instance_id: instance.id,
    token_hash: sha256Hex(clientToken),
    created_at: now,
    updated_at: now,
  };
  const session: SessionTable = {
    id: newId("sess"),
    instance_id: instance.id,
    client_id: client.id,
    user_id: userId,
    status: "active",
    last_active_at: now,
    expire_at: now + instance.session_max_lifetime_seconds * 1000,
    ended_at: null,
    browser_name: device.browser_name,
    browser_version: device.browser_version,
    device_type: device.device_type,
    is_mobile: device.is_mobile ? 1 : 0,
    active_organization_id: opts.activeOrganizationId ?? null,
    created_at: now,
    updated_at: now,
  };
  await svc.db.kysely.transaction().execute(async (trx) => {
    // Touch the user first, only if not banned or locked: the row lock orders this sign-in with
    // a concurrent ban, so either the ban sees (and revokes) this session or this finds the ban.
    const touched = await trx
      .updateTable("users")
      .set({ last_sign_in_at: now })
      .where("id", "=", userId)
      .where("instance_id", "=", instance.id)
      .where("banned", "=", 0)
      .where("locked", "=", 0)
      .executeTakeFirst();
    if (touched.numUpdatedRows !== 1n) {
      await assertUserMayAuthenticate(trx, instance.id, userId);
      throw new ApiError("resource_not_found", { longMessage: "No user with that id in this instance." });
    }
    await trx.insertInto("clients").values(client).execute();
    await trx.insertInto("sessions").values(session).execute();
    await emitSessionEvents(trx, instance.id, [session], "session.created", now);
  });
  return { clientToken, client, session };
}

/** The client a cookie value belongs to, within this instance only. */
export async function findClient(
  svc: Services,
  instance: Instance,
  token: string | undefined,
): Promise<ClientTable | undefined> {
  if (!token || token.length > 200) return undefined;
  return svc.db.kysely
    .selectFrom("clients")
    .selectAll()
    .where("token_hash", "=", sha256Hex(token))
    .where("instance_id", "=", instance.id)
    .executeTakeFirst();
}

/** This client's sessions that may still mint tokens, most recently active first. */
export async function liveSessionsOf(
  svc: Services,
  instance: Instance,
  clientId: string,
): Promise<SessionTable[]> {
  const rows = await svc.db.kysely
    .selectFrom("sessions")
    .selectAll()
    .where("client_id", "=", clientId)
    .where("instance_id", "=", instance.id)
    .orderBy("last_active_at", "desc")
    .execute();
  const now = svc.now();
  return rows.filter((s) => sessionIsLive(s, instance, now));
}

/**
 * After a consent on a signed-in session: the site the user just picked becomes the session's
 * active organization (site organizations only; nothing changes when there is none).
 */
export async function activateSiteOrganization(
  svc: Services,
  instance: Instance,
  sessionId: string,
  userId: string,
  atlassianAccountId: string,
): Promise<void> {
  const organizationId = await pickedSiteOrganization(svc.db.kysely, instance, userId, atlassianAccountId);
  if (!organizationId) return;
  await svc.db.kysely
    .updateTable("sessions")
    .set({ active_organization_id: organizationId, updated_at: svc.now() })
    .where("id", "=", sessionId)
    .where("instance_id", "=", instance.id)
    .where("user_id", "=", userId)
    .execute();
}
