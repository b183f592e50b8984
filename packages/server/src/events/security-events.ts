/**
 * Security events: attempts that a working client never makes (a forged or replayed state, a
 * callback from another browser, a code for another instance, a banned user signing in,
 * throttled secret-key or platform-token guessing). Each is one structured log line — `"event":"security"`, a
 * `kind`, the instance and the client IP, never a secret (state, code, token, key) — and one
 * increment of a per-instance, per-kind counter the dashboard shows. A counter, not a table of
 * rows: an attacker repeating an attempt costs one UPDATE, not unbounded storage.
 */
import type { Services } from "../services.js";

export type SecurityEventKind =
  /** A callback whose state names no usable transaction: forged, replayed or expired. */
  | "oauth_state_invalid"
  /** A live state arriving from a browser without its binding cookie (login CSRF, a leaked link). */
  | "oauth_binding_mismatch"
  /** An instance's own callback URL receiving another instance's state (and code). */
  | "oauth_foreign_instance"
  /** A banned or locked user tried to sign in or connect. */
  | "stopped_user_sign_in"
  /** Wrong secret keys from one source past the failure throttle. */
  | "secret_key_guessing"
  /** Wrong platform tokens (Platform API or dashboard sign-in) from one source past the throttle. */
  | "platform_token_guessing"
  /**
   * Atlassian killed a grant Foyer had rotated moments before: a rotated-out refresh token was
   * used again (by a copy someone else holds, or by a retry after a lost answer), and Atlassian's
   * breach detection revoked the whole family.
   */
  | "refresh_token_reuse";

export const SECURITY_EVENT_KINDS: readonly SecurityEventKind[] = [
  "oauth_state_invalid",
  "oauth_binding_mismatch",
  "oauth_foreign_instance",
  "stopped_user_sign_in",
  "secret_key_guessing",
  "platform_token_guessing",
  "refresh_token_reuse",
];

/** Counters for events whose instance is unknown (a forged state on the shared callback). */
export const NO_INSTANCE = "";

export interface SecurityEvent {
  kind: SecurityEventKind;
  instanceId: string | undefined;
  clientIp: string | undefined;
}

/** Logs and counts one event. Never throws: a failed count must not turn a refusal into a 500. */
export async function recordSecurityEvent(svc: Services, event: SecurityEvent): Promise<void> {
  const instanceId = event.instanceId ?? NO_INSTANCE;
  svc.log.warn(
    {
      event: "security",
      kind: event.kind,
      instance_id: event.instanceId ?? null,
      client_ip: event.clientIp ?? null,
    },
    `security event: ${event.kind}`,
  );
  const now = svc.now();
  try {
    await svc.db.kysely
      .insertInto("security_event_counts")
      .values({ instance_id: instanceId, kind: event.kind, count: 1, last_at: now })
      .onConflict((oc) =>
        oc.columns(["instance_id", "kind"]).doUpdateSet((eb) => ({
          count: eb("security_event_counts.count", "+", 1),
          last_at: now,
        })),
      )
      .execute();
  } catch (err) {
    svc.log.error({ err: String(err), kind: event.kind }, "security event not counted");
  }
}

export interface SecurityEventCount {
  kind: SecurityEventKind;
  count: number;
  lastAt: number;
}

/** An instance's counters, most frequent first. */
export async function securityEventCounts(svc: Services, instanceId: string): Promise<SecurityEventCount[]> {
  const rows = await svc.db.kysely
    .selectFrom("security_event_counts")
    .select(["kind", "count", "last_at"])
    .where("instance_id", "=", instanceId)
    .orderBy("count", "desc")
    .execute();
  return rows.map((r) => ({
    kind: r.kind as SecurityEventKind,
    count: Number(r.count),
    lastAt: Number(r.last_at),
  }));
}
