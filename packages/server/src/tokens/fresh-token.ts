/**
 * A fresh Atlassian access token for an external account: the stored one while it has more than
 * a minute left, otherwise a refresh that is single-flight per account across every process
 * (see refresh-lease.ts) and within this one (a map of in-flight promises), whose rotated refresh
 * token is stored before the new access token leaves this module (refresh-holder.ts).
 *
 * A forced refresh (the app saw a 401, the keep-alive job, the recovery of a lost answer) skips
 * the "still fresh" test, but shares the same single flight, and a token refreshed less than
 * FORCED_REUSE_MS ago is handed out again rather than burning another rotation.
 */
import { type AtlassianClient, resolveAtlassianClient } from "../connections/atlassian-connection.js";
import { randomToken } from "../crypto/random.js";
import type { ExternalAccountTable } from "../db/schema.js";
import type { Instance } from "../instances/instances.js";
import type { Services } from "../services.js";
import { refreshHoldingLease } from "./refresh-holder.js";
import { acquireRefreshLease, BACKOFF_OWNER, LEASE_MS } from "./refresh-lease.js";
import {
  backOffCode,
  type FreshAccessToken,
  type FreshTokenOptions,
  loadAccount,
  unavailable,
  usableToken,
  withoutRefreshToken,
} from "./stored-token.js";
import { circuitWait } from "./token-endpoint-circuit.js";

export type { FreshAccessToken, FreshTokenOptions } from "./stored-token.js";

/**
 * How long a request waits for another process's refresh before answering 503: long enough to
 * take over a crashed holder's lease, shorter than a hanging Atlassian's timeout (in this
 * process the circuit answers sooner still, once the holder's call has hung for 2 s).
 */
const MAX_WAIT_MS = LEASE_MS + 1_000;
const FIRST_POLL_MS = 20;
const MAX_POLL_MS = 250;

/** Refreshes in flight in this process, per Services (one test may run several Foyers in one process). */
const inflight = new WeakMap<Services, Map<string, Promise<FreshAccessToken>>>();

export async function freshAccessToken(
  svc: Services,
  instance: Instance,
  account: ExternalAccountTable,
  opts: FreshTokenOptions = {},
): Promise<FreshAccessToken> {
  const ready = usableToken(svc, account, opts);
  if (ready) return ready;
  let map = inflight.get(svc);
  if (!map) {
    map = new Map();
    inflight.set(svc, map);
  }
  const existing = map.get(account.id);
  if (existing) return existing;
  const promise = refreshCoordinated(svc, instance, account.id, opts).finally(() => map.delete(account.id));
  map.set(account.id, promise);
  return promise;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes the lease and refreshes, or waits (polling the row with a short back-off) until whoever
 * holds it stores new tokens, flags the account, or backs off after a failure. Answers at once,
 * with that failure's code and Retry-After, while the account backs off or Atlassian's token
 * endpoint is known to be failing for this client.
 */
async function refreshCoordinated(
  svc: Services,
  instance: Instance,
  id: string,
  opts: FreshTokenOptions,
): Promise<FreshAccessToken> {
  const owner = randomToken(12);
  const giveUpAt = svc.now() + MAX_WAIT_MS;
  let pollMs = FIRST_POLL_MS;
  let client: AtlassianClient | undefined;
  for (;;) {
    const account = await loadAccount(svc, instance, id);
    const ready = usableToken(svc, account, opts);
    if (ready) return ready;
    if (!account.refresh_token_enc) return withoutRefreshToken(svc, account);
    const now = svc.now();
    const until = account.refresh_lock_until;
    if (account.refresh_lock_owner === BACKOFF_OWNER && until !== null && until >= now) {
      // A request just saw Atlassian fail for this account: share its answer rather than call again.
      throw unavailable(account, Math.max(1, Math.ceil((until - now) / 1000)), backOffCode(account));
    }
    // Resolved once per refresh: the circuit needs its client id, the holder its credentials.
    client ??= await resolveAtlassianClient(svc, instance);
    const wait = circuitWait(svc, client.clientId);
    if (wait) throw unavailable(account, wait.seconds, wait.code);
    if (await acquireRefreshLease(svc, id, owner)) {
      return refreshHoldingLease(svc, instance, client, id, owner, opts);
    }
    if (now >= giveUpAt) throw unavailable(account, 1);
    await sleep(pollMs);
    pollMs = Math.min(pollMs * 2, MAX_POLL_MS);
  }
}
