/**
 * The events of users, sessions and Atlassian accounts, each with `data` in the Backend API's
 * JSON (the same serializers). Every function reads and writes through `db`, the caller's
 * transaction: on SQLite a read on another handle would wait for the transaction holding the one
 * connection, and on PostgreSQL it would not see the uncommitted change.
 */
import type { ExternalAccountEventDataJSON, WebhookEventType } from "@foyer/contract";
import type { Kysely } from "kysely";
import type { Database, ExternalAccountTable, SessionTable } from "../db/schema.js";
import { externalAccountFromRow } from "../external-accounts/external-account.js";
import { externalAccountJson } from "../external-accounts/external-account-json.js";
import { toInstance } from "../instances/instance-row.js";
import { backendSessionJson } from "../sessions/session-json.js";
import { userJson } from "../users/user-json.js";
import { writeEvent } from "./outbox.js";

type Db = Kysely<Database>;

/** `user.created` / `user.updated` with the user as `GET /v1/users/{id}` shows it now. */
export async function emitUserEvent(
  db: Db,
  instanceId: string,
  userId: string,
  type: "user.created" | "user.updated",
  now: number,
): Promise<void> {
  const user = await db
    .selectFrom("users")
    .selectAll()
    .where("id", "=", userId)
    .where("instance_id", "=", instanceId)
    .executeTakeFirst();
  if (!user) return;
  const [emails, accounts] = await Promise.all([
    db
      .selectFrom("email_addresses")
      .selectAll()
      .where("user_id", "=", userId)
      .orderBy("created_at", "asc")
      .execute(),
    db
      .selectFrom("external_accounts")
      .selectAll()
      .where("user_id", "=", userId)
      .where("instance_id", "=", instanceId)
      .orderBy("created_at", "asc")
      .execute(),
  ]);
  const data = userJson(user, emails, accounts.map(externalAccountFromRow), "backend");
  await writeEvent(db, instanceId, type, data, now);
}

export async function emitUserDeleted(db: Db, instanceId: string, userId: string, now: number) {
  await writeEvent(db, instanceId, "user.deleted", { object: "user", id: userId, deleted: true }, now);
}

/** One event per session, with each session as the Backend API shows it. */
export async function emitSessionEvents(
  db: Db,
  instanceId: string,
  sessions: readonly SessionTable[],
  type: "session.created" | "session.ended" | "session.revoked",
  now: number,
): Promise<void> {
  if (sessions.length === 0) return;
  const row = await db.selectFrom("instances").selectAll().where("id", "=", instanceId).executeTakeFirst();
  if (!row) return;
  const instance = toInstance(row);
  for (const session of sessions) {
    await writeEvent(db, instanceId, type, backendSessionJson(session, instance, now), now);
  }
}

type AccountEventType = Extract<WebhookEventType, `external_account.${string}`>;

export async function emitExternalAccountEvent(
  db: Db,
  row: ExternalAccountTable,
  type: AccountEventType,
  now: number,
  extra: Partial<ExternalAccountEventDataJSON> = {},
): Promise<void> {
  const data: ExternalAccountEventDataJSON = {
    ...externalAccountJson(externalAccountFromRow(row)),
    user_id: row.user_id,
    ...extra,
  };
  await writeEvent(db, row.instance_id, type, data, now);
}

export async function emitExternalAccountDeleted(
  db: Db,
  instanceId: string,
  userId: string,
  externalAccountId: string,
  now: number,
) {
  await writeEvent(
    db,
    instanceId,
    "external_account.deleted",
    { object: "external_account", id: externalAccountId, deleted: true, user_id: userId },
    now,
  );
}

function accessibleIds(row: ExternalAccountTable): Set<string> {
  return new Set(
    externalAccountFromRow(row)
      .sites.filter((s) => s.status === "accessible")
      .map((s) => s.id),
  );
}

function scopeSet(scopes: string): string {
  return [...new Set(scopes.split(" ").filter(Boolean))].sort().join(" ");
}

/** What an app keeping a copy of the account sees: a change here is `external_account.updated`. */
function visible(row: ExternalAccountTable): string {
  const json = externalAccountJson(externalAccountFromRow(row));
  return JSON.stringify([
    json.email_address,
    json.first_name,
    json.last_name,
    json.username,
    json.image_url,
    json.label,
    json.status,
    scopeSet(json.approved_scopes),
    json.sites.map((s) => [s.id, s.name, s.url, s.status]),
  ]);
}

/**
 * The grant's own events between two states of one account: reauthorization required,
 * reactivated (a dead grant consented again), sites added or lost, scopes changed. With
 * `updated`, also `external_account.updated` when anything an app shows changed (a consent);
 * refreshes pass false: their changes are exactly the grant events.
 */
export async function emitGrantChanges(
  db: Db,
  before: ExternalAccountTable,
  after: ExternalAccountTable,
  now: number,
  opts: { updated: boolean },
): Promise<void> {
  if (opts.updated && visible(before) !== visible(after)) {
    await emitExternalAccountEvent(db, after, "external_account.updated", now);
  }
  if (before.status === "active" && after.status === "reauthorization_required") {
    await emitExternalAccountEvent(db, after, "external_account.reauthorization_required", now, {
      reauthorization_reason: after.reauthorization_reason,
    });
  }
  if (before.status === "reauthorization_required" && after.status === "active") {
    await emitExternalAccountEvent(db, after, "external_account.reactivated", now);
  }
  const was = accessibleIds(before);
  const is = accessibleIds(after);
  const added = [...is].filter((id) => !was.has(id));
  const lost = [...was].filter((id) => !is.has(id));
  if (added.length > 0) {
    await emitExternalAccountEvent(db, after, "external_account.site_added", now, { site_ids: added });
  }
  if (lost.length > 0) {
    await emitExternalAccountEvent(db, after, "external_account.site_lost", now, { site_ids: lost });
  }
  if (scopeSet(before.approved_scopes) !== scopeSet(after.approved_scopes)) {
    await emitExternalAccountEvent(db, after, "external_account.scopes_changed", now, {
      previous_scopes: before.approved_scopes,
    });
  }
}
