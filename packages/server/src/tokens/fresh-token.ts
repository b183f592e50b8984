/**
 * A fresh Atlassian access token for an external account: the stored one while it has more than
 * a minute left, otherwise a refresh that is single-flight per account across every process
 * (see refresh-lease.ts) and within this one (a map of in-flight promises), whose rotated refresh
 * token is stored before the new access token leaves this module.
 */

import { resolveAtlassianClient } from "../connections/atlassian-connection.js";
import { randomToken } from "../crypto/random.js";
import type { ExternalAccountTable } from "../db/schema.js";
import { ApiError } from "../errors/api-error.js";
import type { Instance } from "../instances/instances.js";
import { tokenApiError } from "../providers/atlassian/token-api-error.js";
import { processRefreshResponse, refreshRequest } from "../providers/atlassian/token-endpoint.js";
import { AtlassianTokenError } from "../providers/atlassian/token-error.js";
import type { Services } from "../services.js";
import {
  acquireRefreshLease,
  BACKOFF_OWNER,
  backOffRefresh,
  LEASE_MS,
  releaseRefreshLease,
} from "./refresh-lease.js";
import { decryptTokens, markReauthorizationRequired, storeRefreshedTokens } from "./token-store.js";

/** A token with less than this left is refreshed before it is handed out. */
export const FRESHNESS_MS = 60_000;
/** How long a request waits for another process's refresh: a crashed holder's lease, plus margin. */
const MAX_WAIT_MS = LEASE_MS + 5_000;
const FIRST_POLL_MS = 20;
const MAX_POLL_MS = 250;

export interface FreshAccessToken {
  /** The account as stored (its token columns may predate the refresh that produced `accessToken`). */
  account: ExternalAccountTable;
  accessToken: string;
  expiresAt: number;
}

/** Refreshes in flight in this process, per Services (one test may run several Foyers in one process). */
const inflight = new WeakMap<Services, Map<string, Promise<FreshAccessToken>>>();

export async function freshAccessToken(
  svc: Services,
  instance: Instance,
  account: ExternalAccountTable,
): Promise<FreshAccessToken> {
  const ready = usableToken(svc, account);
  if (ready) return ready;
  let map = inflight.get(svc);
  if (!map) {
    map = new Map();
    inflight.set(svc, map);
  }
  const existing = map.get(account.id);
  if (existing) return existing;
  const promise = refreshCoordinated(svc, instance, account.id).finally(() => map.delete(account.id));
  map.set(account.id, promise);
  return promise;
}

function meta(account: ExternalAccountTable) {
  return { external_account_id: account.id, provider: account.provider };
}

/** The stored token if it can be handed out as is; throws for an account that needs the user again. */
function usableToken(svc: Services, account: ExternalAccountTable): FreshAccessToken | undefined {
  if (account.status === "reauthorization_required") {
    throw new ApiError("oauth_reauthorization_required", { meta: meta(account) });
  }
  const expiresAt = account.access_token_expires_at;
  if (!account.access_token_enc || expiresAt === null || expiresAt - svc.now() <= FRESHNESS_MS)
    return undefined;
  return { account, accessToken: decryptTokens(svc, account).accessToken!, expiresAt };
}

async function loadAccount(svc: Services, instance: Instance, id: string): Promise<ExternalAccountTable> {
  const row = await svc.db.kysely
    .selectFrom("external_accounts")
    .selectAll()
    .where("id", "=", id)
    .where("instance_id", "=", instance.id)
    .executeTakeFirst();
  if (!row) throw new ApiError("resource_not_found", { longMessage: "The external account is gone." });
  return row;
}

/** Without a refresh token, a token that has not quite expired is still better than nothing. */
function withoutRefreshToken(svc: Services, account: ExternalAccountTable): FreshAccessToken {
  const expiresAt = account.access_token_expires_at;
  if (account.access_token_enc && expiresAt !== null && expiresAt > svc.now()) {
    return { account, accessToken: decryptTokens(svc, account).accessToken!, expiresAt };
  }
  throw new ApiError("oauth_missing_refresh_token", { meta: meta(account) });
}

function unavailable(account: ExternalAccountTable, retryAfterSeconds: number): ApiError {
  return new ApiError("oauth_provider_unavailable", {
    meta: meta(account),
    headers: { "Retry-After": String(retryAfterSeconds) },
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes the lease and refreshes, or waits (polling the row with a short back-off) until whoever
 * holds it stores new tokens, flags the account, backs off after an outage, or lets it expire.
 */
async function refreshCoordinated(svc: Services, instance: Instance, id: string): Promise<FreshAccessToken> {
  const owner = randomToken(12);
  const giveUpAt = svc.now() + MAX_WAIT_MS;
  let pollMs = FIRST_POLL_MS;
  for (;;) {
    const account = await loadAccount(svc, instance, id);
    const ready = usableToken(svc, account);
    if (ready) return ready;
    if (!account.refresh_token_enc) return withoutRefreshToken(svc, account);
    const now = svc.now();
    const until = account.refresh_lock_until;
    if (account.refresh_lock_owner === BACKOFF_OWNER && until !== null && until >= now) {
      // Another request just saw Atlassian fail: share its answer rather than call again.
      throw unavailable(account, Math.max(1, Math.ceil((until - now) / 1000)));
    }
    if (await acquireRefreshLease(svc, id, owner)) return refreshHoldingLease(svc, instance, id, owner);
    if (now >= giveUpAt) throw unavailable(account, 1);
    await sleep(pollMs);
    pollMs = Math.min(pollMs * 2, MAX_POLL_MS);
  }
}

async function refreshHoldingLease(
  svc: Services,
  instance: Instance,
  id: string,
  owner: string,
): Promise<FreshAccessToken> {
  let account: ExternalAccountTable;
  let refreshToken: string | null;
  let client: Awaited<ReturnType<typeof resolveAtlassianClient>>;
  try {
    // Read again under the lease: another process may have refreshed between our read and our CAS.
    account = await loadAccount(svc, instance, id);
    const ready = usableToken(svc, account);
    if (ready) {
      await releaseRefreshLease(svc, id, owner);
      return ready;
    }
    refreshToken = decryptTokens(svc, account).refreshToken;
    if (!refreshToken) {
      await releaseRefreshLease(svc, id, owner);
      return withoutRefreshToken(svc, account);
    }
    client = await resolveAtlassianClient(svc, instance);
  } catch (err) {
    await releaseRefreshLease(svc, id, owner);
    throw err;
  }

  let refreshed: Awaited<ReturnType<typeof processRefreshResponse>>;
  try {
    const response = await refreshRequest(svc.atlassian, client, refreshToken);
    refreshed = await processRefreshResponse(svc.atlassian, client, response, () => svc.now());
  } catch (err) {
    return handleFailure(svc, instance, account, owner, err);
  }

  // The crash-recovery test stops the process here: Atlassian rotated, nothing is stored yet.
  svc.faults?.afterRefreshResponse?.();

  const expiresAt = refreshed.expiresAt;
  const stored = await storeRefreshedTokens(svc, account, {
    accessToken: refreshed.accessToken,
    refreshToken: refreshed.refreshToken,
    expiresAt,
  });
  if (stored) return { account, accessToken: refreshed.accessToken, expiresAt };
  // Our lease ran out and another process stored newer tokens: theirs win.
  await releaseRefreshLease(svc, id, owner);
  const latest = await loadAccount(svc, instance, id);
  const ready = usableToken(svc, latest);
  if (ready) return ready;
  throw unavailable(latest, 1);
}

async function handleFailure(
  svc: Services,
  instance: Instance,
  account: ExternalAccountTable,
  owner: string,
  err: unknown,
): Promise<FreshAccessToken> {
  if (!(err instanceof AtlassianTokenError)) {
    await releaseRefreshLease(svc, account.id, owner);
    throw err;
  }
  const where = { external_account_id: account.id, instance_id: instance.id, oauth_error: err.oauthError };
  switch (err.kind) {
    case "grant_dead": {
      // Guarded by token_version: if another process rotated the token meanwhile, the grant lives
      // and its newer token is used instead.
      if (await markReauthorizationRequired(svc, account)) {
        svc.log.info(where, "Atlassian grant is dead; the user must reconnect Atlassian");
        throw tokenApiError(err, { meta: meta(account) });
      }
      await releaseRefreshLease(svc, account.id, owner);
      const latest = await loadAccount(svc, instance, account.id);
      const ready = usableToken(svc, latest);
      if (ready) return ready;
      throw unavailable(latest, 1);
    }
    case "unavailable": {
      const seconds = await backOffRefresh(svc, account.id, owner, err.retryAfterSeconds);
      svc.log.warn({ ...where, retry_after: seconds }, "Atlassian unavailable during token refresh");
      throw tokenApiError(err, { meta: meta(account), retryAfterSeconds: seconds });
    }
    case "invalid_client":
      await releaseRefreshLease(svc, account.id, owner);
      svc.log.error(
        where,
        "Atlassian refused this instance's Client ID/Secret at token refresh: fix the Atlassian connection settings (the user's grant is not affected)",
      );
      throw tokenApiError(err, { meta: meta(account) });
    case "nonsense":
      await releaseRefreshLease(svc, account.id, owner);
      svc.log.error({ ...where, reason: err.message }, "Atlassian answered a token refresh with nonsense");
      throw tokenApiError(err, { meta: meta(account) });
  }
}
