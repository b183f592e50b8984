import { createHash } from "node:crypto";
import { randomToken, safeEqual, sha256Hex } from "../crypto/random.js";
import type { Services } from "../services.js";

/**
 * Server-side dashboard sessions. The browser holds a random 256-bit value in an HttpOnly cookie;
 * the database holds only its SHA-256, so every Foyer process sharing the database honours the
 * same sign-ins and a stolen database dump opens nothing.
 */
export const DASHBOARD_SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export interface DashboardSession {
  /** The cookie value: secret, never stored or logged. */
  token: string;
  /** The anti-CSRF token every POST form carries. */
  csrfToken: string;
  expiresAt: number;
}

/**
 * The session's CSRF token, derived from the cookie value instead of stored: only someone who
 * holds the cookie can compute it, and it dies with the session.
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHash("sha256").update(`foyer-dashboard-csrf:${sessionToken}`).digest("base64url");
}

export function csrfTokenMatches(sessionToken: string, submitted: string | undefined): boolean {
  return typeof submitted === "string" && safeEqual(submitted, csrfTokenFor(sessionToken));
}

function platformTokenHash(svc: Services): string {
  return sha256Hex(svc.config.platformToken ?? "");
}

export async function createDashboardSession(svc: Services): Promise<DashboardSession> {
  const now = svc.now();
  const token = randomToken(32);
  const expiresAt = now + DASHBOARD_SESSION_TTL_MS;
  // Sweeping expired rows here keeps the table small without a background job.
  await svc.db.kysely.deleteFrom("dashboard_sessions").where("expires_at", "<=", now).execute();
  await svc.db.kysely
    .insertInto("dashboard_sessions")
    .values({
      id_hash: sha256Hex(token),
      created_at: now,
      expires_at: expiresAt,
      platform_token_hash: platformTokenHash(svc),
    })
    .execute();
  return { token, csrfToken: csrfTokenFor(token), expiresAt };
}

/** The live session a cookie value belongs to, or undefined (unknown, signed out or expired). */
export async function findDashboardSession(
  svc: Services,
  token: string | undefined,
): Promise<DashboardSession | undefined> {
  if (!token || token.length > 100) return undefined;
  const row = await svc.db.kysely
    .selectFrom("dashboard_sessions")
    .select("expires_at")
    .where("id_hash", "=", sha256Hex(token))
    .where("expires_at", ">", svc.now())
    // Opened with another platform token (since rotated, maybe because it leaked): no longer valid.
    .where("platform_token_hash", "=", platformTokenHash(svc))
    .executeTakeFirst();
  return row ? { token, csrfToken: csrfTokenFor(token), expiresAt: row.expires_at } : undefined;
}

export async function endDashboardSession(svc: Services, token: string): Promise<void> {
  await svc.db.kysely.deleteFrom("dashboard_sessions").where("id_hash", "=", sha256Hex(token)).execute();
}
