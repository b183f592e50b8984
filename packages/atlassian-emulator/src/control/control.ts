/**
 * The in-process control object. It works on the same state as the HTTP routes, so a test can
 * seed, queue a consent, flip a fault or move the clock and see the effect on the next request.
 */
import { clearFaults, setFault } from "../faults.js";
import { grantViews, revokeGrant } from "../grants.js";
import { setSiteMembership } from "../sites.js";
import {
  applySeed,
  createState,
  type EmulatorState,
  now,
  putAccount,
  releaseHangs,
  zeroCounters,
} from "../state.js";
import { revokeFamiliesOf } from "../tokens.js";
import type { EmulatorControl } from "../types.js";

/** Raised for a control call that names something the emulator does not have. */
export class EmulatorControlError extends Error {
  constructor(
    readonly code: "unknown_account" | "unknown_site" | "invalid_argument",
    message: string,
  ) {
    super(message);
    this.name = "EmulatorControlError";
  }
}

export function createControl(state: EmulatorState): EmulatorControl {
  return {
    seed: (seed) => applySeed(state, seed),
    upsertApp: (app) => applySeed(state, { apps: [app] }),
    upsertAccount: (account) => applySeed(state, { accounts: [account] }),
    upsertSite: (site) => applySeed(state, { sites: [site] }),
    // The site was deleted or the account lost access: it drops out of every grant's resources.
    removeSite: (cloudId) => {
      state.sites.delete(cloudId);
    },
    revokeSiteAccess: (accountId, cloudId) => siteAccess(state, accountId, cloudId, false),
    restoreSiteAccess: (accountId, cloudId) => siteAccess(state, accountId, cloudId, true),
    updateAccount(accountId, patch) {
      const account = state.accounts.get(accountId);
      if (!account) throw new EmulatorControlError("unknown_account", `No account ${accountId}`);
      putAccount(state, { ...account, ...patch, accountId });
    },
    queueConsent: (answer) => {
      state.consentQueue.push({ ...answer });
    },
    setAutoConsent: (answer) => {
      state.autoConsent = answer ? { ...answer } : null;
    },
    setFault: (name, on) => setFault(state, name, on),
    clearFaults: () => clearFaults(state),
    revokeGrant: (clientId, accountId) => revokeGrant(state, clientId, accountId),
    changePassword: (accountId) => revokeFamiliesOf(state, accountId),
    advanceClock(ms) {
      if (!Number.isFinite(ms) || ms < 0)
        throw new EmulatorControlError("invalid_argument", "ms must be >= 0");
      state.clockOffsetMs += ms;
    },
    now: () => now(state),
    settings(patch) {
      if (patch) state.settings = { ...state.settings, ...patch };
      return { ...state.settings };
    },
    counters: () => ({ ...state.counters }),
    resetCounters: () => {
      state.counters = zeroCounters();
    },
    grants: () => grantViews(state),
    lastAuthorizeRequest: () => (state.lastAuthorizeRequest ? { ...state.lastAuthorizeRequest } : null),
    reset() {
      releaseHangs(state);
      const fresh = createState(state.initialSeed, state.initialSettings);
      Object.assign(state, fresh);
    },
  };
}

function siteAccess(state: EmulatorState, accountId: string, cloudId: string, member: boolean): void {
  if (!state.sites.has(cloudId)) throw new EmulatorControlError("unknown_site", `No site ${cloudId}`);
  if (!setSiteMembership(state, accountId, cloudId, member))
    throw new EmulatorControlError("unknown_account", `No account ${accountId}`);
}
