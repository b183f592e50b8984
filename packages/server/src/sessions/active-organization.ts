/**
 * Switching a session's active organization (Clerk's `setActive({ organization })`, which posts
 * `active_organization_id` to `…/sessions/{id}/touch`). Only to an organization the user is a
 * member of; a refusal leaves the active organization as it was. The session's tokens name the
 * new one from the next mint on (session-tokens.ts).
 */
import { ApiError } from "../errors/api-error.js";
import type { Instance } from "../instances/instances.js";
import type { Services } from "../services.js";
import { sessionIsLive } from "./session-status.js";

export async function setActiveOrganization(
  svc: Services,
  instance: Instance,
  clientId: string,
  sessionId: string,
  organizationId: string | null,
): Promise<void> {
  const db = svc.db.kysely;
  const session = await db
    .selectFrom("sessions")
    .selectAll()
    .where("id", "=", sessionId)
    .where("instance_id", "=", instance.id)
    .where("client_id", "=", clientId)
    .executeTakeFirst();
  if (!session) throw new ApiError("session_not_found");
  if (session.status !== "active" || !sessionIsLive(session, instance, svc.now())) {
    throw new ApiError("session_inactive");
  }
  if (organizationId !== null) {
    const member = await db
      .selectFrom("organization_memberships")
      .select("id")
      .where("instance_id", "=", instance.id)
      .where("organization_id", "=", organizationId)
      .where("user_id", "=", session.user_id)
      .executeTakeFirst();
    if (!member) {
      throw new ApiError("organization_membership_required", {
        meta: { param_name: "active_organization_id" },
      });
    }
  }
  await db
    .updateTable("sessions")
    .set({ active_organization_id: organizationId, updated_at: svc.now() })
    .where("id", "=", session.id)
    .where("instance_id", "=", instance.id)
    .execute();
}
