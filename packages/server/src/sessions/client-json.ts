import type { ClientJSON } from "@foyer/contract";
import type { ClientTable } from "../db/schema.js";
import type { Instance } from "../instances/instances.js";
import type { Services } from "../services.js";
import { loadUsersJson } from "../users/users.js";
import { frontendSessionJson } from "./session-json.js";
import { effectiveStatus } from "./session-status.js";

/**
 * A client in Clerk's Frontend API shape: its live sessions, each with its user's public fields
 * (no private metadata, never a provider token). Ended, revoked and lapsed sessions are left out,
 * as Clerk does, so `sessions` is what the browser can still use.
 */
export async function clientJson(
  svc: Services,
  instance: Instance,
  client: ClientTable,
): Promise<ClientJSON> {
  const now = svc.now();
  const rows = await svc.db.kysely
    .selectFrom("sessions")
    .selectAll()
    .where("client_id", "=", client.id)
    .where("instance_id", "=", instance.id)
    .where("status", "=", "active")
    .orderBy("last_active_at", "desc")
    .execute();
  const live = rows.filter((s) => effectiveStatus(s, instance, now) === "active");
  const userRows =
    live.length === 0
      ? []
      : await svc.db.kysely
          .selectFrom("users")
          .selectAll()
          .where("instance_id", "=", instance.id)
          .where(
            "id",
            "in",
            live.map((s) => s.user_id),
          )
          .execute();
  const users = await loadUsersJson(svc, instance.id, userRows, "frontend");
  const byId = new Map(users.map((u) => [u.id, u]));
  const sessions = live
    .filter((s) => byId.has(s.user_id))
    .map((s) => frontendSessionJson(s, instance, now, byId.get(s.user_id)!));
  return {
    object: "client",
    id: client.id,
    sessions,
    session_ids: sessions.map((s) => s.id),
    sign_in: null,
    sign_up: null,
    last_active_session_id: sessions[0]?.id ?? null,
    created_at: client.created_at,
    updated_at: client.updated_at,
  };
}
