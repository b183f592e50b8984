import * as oauth from "oauth4webapi";
import { newId, randomToken, safeEqual, sha256Hex } from "../crypto/random.js";
import { codeVerifierAad } from "../db/encrypted-columns.js";
import type { OAuthTransactionTable } from "../db/schema.js";
import { ApiError } from "../errors/api-error.js";
import type { SecurityEventKind } from "../events/security-events.js";
import type { Services } from "../services.js";

/** Why a callback's state was refused (the ApiError's cause): the security event to record. */
export interface StateRefusal {
  securityEvent: SecurityEventKind;
  instanceId: string | undefined;
  /** Set when the transaction is known and unused but ran out of time: where its app is. */
  expired?: { redirectUrl: string };
}

/** How long a started sign-in stays usable (Atlassian codes live ≤ 10 minutes too). */
export const TRANSACTION_TTL_MS = 10 * 60 * 1000;
const SWEEP_PROBABILITY = 0.02;

export interface NewTransaction {
  row: OAuthTransactionTable;
  /** Goes to Atlassian in the authorize URL; only its hash is stored. */
  state: string;
  codeVerifier: string;
  codeChallenge: string;
}

const verifierAad = codeVerifierAad;

/**
 * A server-side sign-in (or connect) transaction: 256-bit state, single use, 10-minute TTL,
 * bound to the browser that started it by the hash of a cookie value, and recording the instance,
 * so the callback never learns the instance from anything the browser sends.
 */
export async function createTransaction(
  svc: Services,
  input: {
    instanceId: string;
    purpose: "sign_in" | "connect";
    browserBinding: string;
    redirectUrl: string | null;
    scopes: string[];
    redirectUri: string;
    userId?: string;
    sessionId?: string;
    /** connect: the external account (eac_…) the consent is for, see {@link connectTargetOf}. */
    connectTarget?: string;
  },
): Promise<NewTransaction> {
  await assertRoomForTransaction(svc, input.instanceId);
  const id = newId("sia");
  const state = input.connectTarget ? `${randomToken(32)}.${input.connectTarget}` : randomToken(32);
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const now = svc.now();
  const row: OAuthTransactionTable = {
    id,
    instance_id: input.instanceId,
    state_hash: sha256Hex(state),
    browser_binding_hash: sha256Hex(input.browserBinding),
    code_verifier_enc: svc.keyring.encrypt(codeVerifier, verifierAad(id)),
    purpose: input.purpose,
    user_id: input.userId ?? null,
    session_id: input.sessionId ?? null,
    redirect_url: input.redirectUrl,
    scopes: input.scopes.join(" "),
    redirect_uri: input.redirectUri,
    status: "pending",
    error_code: null,
    created_user_session_id: null,
    expires_at: now + TRANSACTION_TTL_MS,
    consumed_at: null,
    created_at: now,
  };
  await svc.db.kysely.insertInto("oauth_transactions").values(row).execute();
  // Expired transactions are useless: now and then, sweep them on the way so the table stays
  // small without a delete on every sign-in.
  if (Math.random() < SWEEP_PROBABILITY) {
    await svc.db.kysely
      .deleteFrom("oauth_transactions")
      .where("expires_at", "<", now - TRANSACTION_TTL_MS)
      .execute();
  }
  return { row, state, codeVerifier, codeChallenge: await oauth.calculatePKCECodeChallenge(codeVerifier) };
}

/**
 * The brakes on a flood of started sign-ins (each one a row, and a page at Atlassian): at most
 * `maxPendingSignInsPerInstance` pending (unconsumed, unexpired) transactions per instance, and
 * at most `signInStartsPerInstancePerMinute` started in the last minute. Counted in the
 * database, so every process of a deployment shares them; one query over the instance's
 * unexpired rows (every row of the last minute is unexpired: the TTL is longer). Check-then-insert,
 * so parallel starts may pass a limit by a few: a brake, not an exact quota.
 */
async function assertRoomForTransaction(svc: Services, instanceId: string): Promise<void> {
  const { maxPendingSignInsPerInstance: maxPending, signInStartsPerInstancePerMinute: perMinute } =
    svc.config.rateLimits;
  if (maxPending === 0 && perMinute === 0) return;
  const now = svc.now();
  const windowStart = now - 60_000;
  const counts = await svc.db.kysely
    .selectFrom("oauth_transactions")
    .select((eb) => [
      eb.fn.sum<number>(eb.case().when("consumed_at", "is", null).then(1).else(0).end()).as("pending"),
      eb.fn.min<number>("expires_at").as("first_expiry"),
      eb.fn.sum<number>(eb.case().when("created_at", ">", windowStart).then(1).else(0).end()).as("recent"),
      eb.fn
        .min<number>(eb.case().when("created_at", ">", windowStart).then(eb.ref("created_at")).end())
        .as("first_recent"),
    ])
    .where("instance_id", "=", instanceId)
    .where("expires_at", ">", now)
    .executeTakeFirstOrThrow();
  const seconds = (ms: number) => String(Math.max(1, Math.ceil(ms / 1000)));
  if (perMinute > 0 && Number(counts.recent ?? 0) >= perMinute) {
    throw new ApiError("rate_limited", {
      longMessage: "Too many sign-ins started for this application in the last minute.",
      headers: { "Retry-After": seconds(Number(counts.first_recent ?? now) + 60_000 - now) },
    });
  }
  if (maxPending > 0 && Number(counts.pending ?? 0) >= maxPending) {
    throw new ApiError("rate_limited", {
      longMessage: "Too many sign-ins are waiting to be completed for this application.",
      headers: { "Retry-After": seconds(Number(counts.first_expiry ?? now) - now) },
    });
  }
}

/**
 * Takes the transaction for a callback, once. Missing, unknown, expired, reused or started in
 * another browser: all refused with the same code, before anything is sent to Atlassian. The
 * consume is one conditional UPDATE, so ten parallel callbacks with one state make one winner.
 */
export async function consumeTransaction(
  svc: Services,
  state: string | undefined,
  /** The binding cookie the browser sent for this transaction (each transaction has its own). */
  bindingOf: (transaction: { id: string; redirectUri: string }) => string | undefined,
  /** Set on an instance's own callback URL: a state from another instance is refused there. */
  expectedInstanceId?: string,
): Promise<OAuthTransactionTable & { codeVerifier: string }> {
  // Every refusal is the same code for the browser; the cause says which attempt it was, for
  // the security event the callback records.
  const refuse = (securityEvent: SecurityEventKind, instanceId: string | undefined) =>
    new ApiError("oauth_state_invalid", { cause: { securityEvent, instanceId } satisfies StateRefusal });
  if (!state || state.length > 200) throw refuse("oauth_state_invalid", expectedInstanceId);
  const stateHash = sha256Hex(state);
  const row = await svc.db.kysely
    .selectFrom("oauth_transactions")
    .selectAll()
    .where("state_hash", "=", stateHash)
    .executeTakeFirst();
  const now = svc.now();
  if (row && row.consumed_at === null && row.expires_at <= now && row.redirect_url) {
    const onOwnUrl = expectedInstanceId === undefined || row.instance_id === expectedInstanceId;
    if (onOwnUrl) {
      throw new ApiError("oauth_state_invalid", {
        cause: {
          securityEvent: "oauth_state_invalid",
          instanceId: row.instance_id,
          expired: { redirectUrl: row.redirect_url },
        } satisfies StateRefusal,
      });
    }
  }
  if (!row || row.consumed_at !== null || row.expires_at <= now)
    throw refuse("oauth_state_invalid", row?.instance_id ?? expectedInstanceId);
  if (expectedInstanceId !== undefined && row.instance_id !== expectedInstanceId)
    throw refuse("oauth_foreign_instance", expectedInstanceId);
  const browserBinding = bindingOf({ id: row.id, redirectUri: row.redirect_uri });
  if (!browserBinding || browserBinding.length > 200) throw refuse("oauth_binding_mismatch", row.instance_id);
  if (!safeEqual(row.browser_binding_hash, sha256Hex(browserBinding)))
    throw refuse("oauth_binding_mismatch", row.instance_id);
  const taken = await svc.db.kysely
    .updateTable("oauth_transactions")
    .set({ consumed_at: now })
    .where("id", "=", row.id)
    .where("consumed_at", "is", null)
    .executeTakeFirst();
  if (taken.numUpdatedRows !== 1n) throw refuse("oauth_state_invalid", row.instance_id);
  return {
    ...row,
    consumed_at: now,
    codeVerifier: svc.keyring.decrypt(row.code_verifier_enc, verifierAad(row.id)),
  };
}

/**
 * The external account a connect was started for, carried in the state after a dot (the row
 * has no column for it). Read only from a state {@link consumeTransaction} accepted: that state's
 * hash is the row's, so the suffix is exactly what Foyer wrote, whatever passed through the
 * browser and Atlassian. The random part is base64url and never holds a dot.
 */
export function connectTargetOf(acceptedState: string): string | undefined {
  const at = acceptedState.indexOf(".");
  return at === -1 ? undefined : acceptedState.slice(at + 1);
}

export async function finishTransaction(
  svc: Services,
  id: string,
  outcome: { status: "complete"; sessionId?: string } | { status: "failed"; errorCode: string },
): Promise<void> {
  await svc.db.kysely
    .updateTable("oauth_transactions")
    .set(
      outcome.status === "complete"
        ? { status: "complete", created_user_session_id: outcome.sessionId ?? null }
        : { status: "failed", error_code: outcome.errorCode },
    )
    .where("id", "=", id)
    .execute();
}
