/**
 * One refresh, done by the holder of the account's lease (refresh-lease.ts), journalled so that
 * nothing Atlassian rotated is ever silently lost:
 *
 * 1. the intent is written before anything is sent (`refresh_intent_at`);
 * 2. the refresh_token grant goes to Atlassian while the lease is renewed;
 * 3. the rotated tokens are stored in one version-guarded write, retried until the database
 *    answers if it did not; the intent is cleared with them;
 * 4. accessible-resources is read again, so sites lost or regained show at the next refresh.
 *
 * A crash or a lost answer between 1 and 3 leaves the intent behind: the recovery job
 * (grant-health-jobs.ts) retries it while Atlassian's reuse leeway lasts.
 */

import type { AtlassianClient } from "../connections/atlassian-connection.js";
import { clearConnectionError, recordConnectionError } from "../connections/connection-errors.js";
import type { ExternalAccountTable, ReauthorizationReason } from "../db/schema.js";
import { ApiError } from "../errors/api-error.js";
import { emitGrantChanges } from "../events/event-data.js";
import { recordSecurityEvent } from "../events/security-events.js";
import type { Instance } from "../instances/instances.js";
import { syncSiteOrganizations } from "../organizations/site-organizations.js";
import { fetchAccessibleResources } from "../providers/atlassian/accessible-resources.js";
import { mergeSites, parseStoredSites } from "../providers/atlassian/sites.js";
import { tokenApiError, tokenErrorCode } from "../providers/atlassian/token-api-error.js";
import {
  type AtlassianTokens,
  processRefreshResponse,
  refreshRequest,
} from "../providers/atlassian/token-endpoint.js";
import { AtlassianTokenError } from "../providers/atlassian/token-error.js";
import type { Services } from "../services.js";
import { backOffRefresh, holdLease, recordRefreshIntent, releaseRefreshLease } from "./refresh-lease.js";
import {
  accountMeta,
  type BackOffCode,
  type FreshAccessToken,
  type FreshTokenOptions,
  loadAccount,
  unavailable,
  usableToken,
  withoutRefreshToken,
} from "./stored-token.js";
import { type CircuitFailure, throughCircuit } from "./token-endpoint-circuit.js";
import { decryptTokens, markReauthorizationRequired, storeRefreshedTokens } from "./token-store.js";

/** Atlassian expires a refresh token after 90 days without use (atlassian-3lo §3). */
export const ATLASSIAN_IDLE_EXPIRY_MS = 90 * 24 * 60 * 60 * 1000;
/** Between tries of a rotated-token write the database refused. */
const WRITE_RETRY_FIRST_MS = 200;
const WRITE_RETRY_MAX_MS = 2_000;

export async function refreshHoldingLease(
  svc: Services,
  instance: Instance,
  client: AtlassianClient,
  id: string,
  owner: string,
  opts: FreshTokenOptions,
): Promise<FreshAccessToken> {
  let account: ExternalAccountTable;
  let refreshToken: string | null;
  try {
    // Read again under the lease: another process may have refreshed between our read and our CAS.
    account = await loadAccount(svc, instance, id);
    const ready = usableToken(svc, account, opts);
    if (ready) {
      await releaseRefreshLease(svc, id, owner);
      return ready;
    }
    refreshToken = decryptTokens(svc, account).refreshToken;
    if (!refreshToken) {
      await releaseRefreshLease(svc, id, owner);
      return withoutRefreshToken(svc, account);
    }
    if (!(await recordRefreshIntent(svc, account, owner))) throw unavailable(account, 1);
  } catch (err) {
    await releaseRefreshLease(svc, id, owner).catch(() => {});
    throw err;
  }

  let refreshed: AtlassianTokens;
  try {
    const token = refreshToken;
    refreshed = await holdLease(svc, id, owner, () =>
      throughCircuit(
        svc,
        client.clientId,
        async () =>
          processRefreshResponse(
            svc.atlassian,
            client,
            await refreshRequest(svc.atlassian, client, token),
            () => svc.now(),
          ),
        circuitOpenFor,
      ),
    );
  } catch (err) {
    return handleFailure(svc, instance, client, account, owner, err);
  }

  // The crash-recovery test stops the process here: Atlassian rotated, nothing is stored yet.
  await svc.faults?.afterRefreshResponse?.(id);

  const stored = await storeRotated(svc, account, owner, refreshed);
  const latest = await loadAccount(svc, instance, id);
  if (!stored) {
    // Our lease ran out and another process stored newer tokens: theirs win.
    await releaseRefreshLease(svc, id, owner);
    const ready = usableToken(svc, latest, {});
    if (ready) return ready;
    throw unavailable(latest, 1);
  }
  // Atlassian accepted the client: a wrong-secret mark left on the connection is out of date.
  await clearConnectionError(svc, instance.id);
  const current = await refreshSites(svc, instance, latest, refreshed.accessToken);
  return { account: current, accessToken: refreshed.accessToken, expiresAt: refreshed.expiresAt };
}

/** How long one failure keeps the client's circuit open, and why; undefined for a failure of one grant. */
function circuitOpenFor(err: unknown): CircuitFailure | undefined {
  if (!(err instanceof AtlassianTokenError) || err.kind === "grant_dead") return undefined;
  return {
    seconds: err.retryAfterSeconds ?? (err.kind === "invalid_client" ? 5 : 2),
    code: tokenErrorCode(err) as BackOffCode,
  };
}

/**
 * Stores the rotated tokens. Atlassian has already disabled the old refresh token, so a write
 * the database refused is not given up: it is tried again (renewing the lease meanwhile) until it
 * lands or the row moves on. The caller waits for the first try only; a failed first try answers
 * 503 `database_unavailable` while the retries go on in the background.
 */
async function storeRotated(
  svc: Services,
  account: ExternalAccountTable,
  owner: string,
  tokens: AtlassianTokens,
): Promise<boolean> {
  const write = async () => {
    await svc.faults?.beforeStoreRotated?.(account.id);
    return storeRefreshedTokens(svc, account, {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresAt: tokens.expiresAt,
      scopes: tokens.scopes,
    });
  };
  try {
    return await write();
  } catch (err) {
    svc.log.error(
      { external_account_id: account.id, err: String(err) },
      "storing a rotated Atlassian token failed; retrying until the database answers",
    );
    void holdLease(svc, account.id, owner, () => retryWrite(svc, account, write)).catch(() => {});
    throw new ApiError("database_unavailable", {
      meta: accountMeta(account),
      headers: { "Retry-After": "2" },
    });
  }
}

async function retryWrite(
  svc: Services,
  account: ExternalAccountTable,
  write: () => Promise<boolean>,
): Promise<void> {
  // Past Atlassian's leeway the journal entry is settled by recovery (as refresh_lost); stop then.
  const giveUpAt = Date.now() + svc.config.atlassian.refreshLeewayMs + 60_000;
  let waitMs = WRITE_RETRY_FIRST_MS;
  while (Date.now() < giveUpAt) {
    await new Promise((resolve) => setTimeout(resolve, waitMs).unref());
    try {
      await write();
      svc.log.info(
        { external_account_id: account.id },
        "rotated Atlassian token stored after the database came back",
      );
      return;
    } catch {
      waitMs = Math.min(waitMs * 2, WRITE_RETRY_MAX_MS);
    }
  }
}

/**
 * Re-reads accessible-resources with the new token: sites the user lost become `lost`, sites
 * regained `accessible`. A failure here costs nothing but freshness: the tokens are stored.
 */
async function refreshSites(
  svc: Services,
  instance: Instance,
  account: ExternalAccountTable,
  accessToken: string,
): Promise<ExternalAccountTable> {
  try {
    const listed = await fetchAccessibleResources(svc.atlassian, accessToken);
    const sites = JSON.stringify(mergeSites(parseStoredSites(account.sites), listed, svc.now()));
    if (sites === account.sites) return account;
    const now = svc.now();
    const after = { ...account, sites, updated_at: now };
    await svc.db.kysely.transaction().execute(async (trx) => {
      await trx
        .updateTable("external_accounts")
        .set({ sites, updated_at: now })
        .where("id", "=", account.id)
        .where("instance_id", "=", instance.id)
        .execute();
      // A site lost or regained is an event, written with the change (the outbox); site
      // organizations follow the sites in the same transaction (a lost site ends its membership).
      await emitGrantChanges(trx, account, after, now, { updated: false });
      await syncSiteOrganizations(trx, instance, account.user_id, now);
    });
    return after;
  } catch (err) {
    svc.log.warn(
      { external_account_id: account.id, code: err instanceof ApiError ? err.code : "internal_error" },
      "could not re-read the grant's Atlassian sites after a refresh",
    );
    return account;
  }
}

/** Why Atlassian refused a refresh, as far as Foyer can tell (Atlassian says only invalid_grant). */
export function reauthorizationReason(svc: Services, account: ExternalAccountTable): ReauthorizationReason {
  const now = svc.now();
  if (
    account.refresh_intent_at !== null &&
    now - account.refresh_intent_at > svc.config.atlassian.refreshLeewayMs
  ) {
    return "refresh_lost";
  }
  const lastUse = account.last_refreshed_at ?? account.created_at;
  return now - lastUse >= ATLASSIAN_IDLE_EXPIRY_MS ? "idle_expired" : "revoked";
}

/**
 * A grant that dies right after a rotation was most likely killed by the reuse of a rotated-out
 * refresh token (Atlassian revokes the family): our own late retry (`refresh_lost`), or a copy of
 * the token used elsewhere within the leeway of our last rotation.
 */
function looksLikeReuse(
  svc: Services,
  account: ExternalAccountTable,
  reason: ReauthorizationReason,
): boolean {
  if (reason === "refresh_lost") return true;
  const last = account.last_refreshed_at;
  return reason === "revoked" && last !== null && svc.now() - last <= svc.config.atlassian.refreshLeewayMs;
}

async function handleFailure(
  svc: Services,
  instance: Instance,
  client: AtlassianClient,
  account: ExternalAccountTable,
  owner: string,
  err: unknown,
): Promise<FreshAccessToken> {
  if (!(err instanceof AtlassianTokenError)) {
    await releaseRefreshLease(svc, account.id, owner);
    throw err;
  }
  const where = { external_account_id: account.id, instance_id: instance.id, oauth_error: err.oauthError };
  if (err.kind === "grant_dead") {
    // Guarded by token_version: if another process rotated the token meanwhile, the grant lives
    // and its newer token is used instead.
    const reason = reauthorizationReason(svc, account);
    if (await markReauthorizationRequired(svc, account, reason)) {
      svc.log.info({ ...where, reason }, "Atlassian grant is dead; the user must reconnect Atlassian");
      if (looksLikeReuse(svc, account, reason)) {
        await recordSecurityEvent(svc, {
          kind: "refresh_token_reuse",
          instanceId: instance.id,
          clientIp: undefined,
        });
      }
      throw tokenApiError(err, { meta: { ...accountMeta(account), reauthorization_reason: reason } });
    }
    await releaseRefreshLease(svc, account.id, owner);
    const latest = await loadAccount(svc, instance, account.id);
    const ready = usableToken(svc, latest, {});
    if (ready) return ready;
    throw unavailable(latest, 1);
  }
  // Every other failure backs off, so an outage costs Atlassian a few calls and callers a fast
  // answer. An error status means Atlassian did not rotate; no answer (or a 200 that is not a
  // token answer) leaves the outcome unknown, so the journal entry stays for the recovery job.
  const code = tokenApiError(err, {}).code;
  const intentSettled = err.status !== undefined && err.status !== 200;
  const seconds = await backOffRefresh(svc, account, owner, {
    retryAfterSeconds: err.retryAfterSeconds,
    errorCode: code,
    intentSettled,
  });
  if (err.kind === "invalid_client") {
    svc.log.error(
      where,
      "Atlassian refused this instance's Client ID/Secret at token refresh: fix the Atlassian connection settings (the user's grant is not affected)",
    );
    if (client.custom) {
      await recordConnectionError(svc, instance.id, {
        code: "invalid_client",
        step: "refresh",
        atlassianError: err.oauthError,
      });
    }
  } else {
    svc.log.warn(
      { ...where, kind: err.kind, retry_after: seconds },
      "Atlassian token refresh failed; backing off",
    );
  }
  const apiError = tokenApiError(err, { meta: accountMeta(account), retryAfterSeconds: seconds });
  throw new ApiError(apiError.code, {
    meta: apiError.meta,
    headers: { ...apiError.headers, "Retry-After": String(seconds) },
  });
}
