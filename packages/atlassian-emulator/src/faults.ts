/**
 * Fault switches: the failures a real Atlassian (or what sits in front of it) shows now and then
 * (5xx, hangs, 429, HTML pages, a bare 401 challenge, refresh responses without a refresh token),
 * on demand, optionally for the next N hits only.
 */
import { type ActiveFault, type EmulatorState, releaseHangs } from "./state.js";
import type { FaultName, FaultSwitch } from "./types.js";

const DEFAULT_RETRY_AFTER = 1;

export function setFault(state: EmulatorState, name: FaultName, on: FaultSwitch): void {
  if (on === false) {
    state.faults.delete(name);
    if (name === "token_hang") releaseHangs(state);
    return;
  }
  const options = on === true ? {} : on;
  if (options.count !== undefined && options.count <= 0) {
    setFault(state, name, false);
    return;
  }
  state.faults.set(name, {
    remaining: options.count,
    retryAfterSeconds: options.retryAfterSeconds ?? DEFAULT_RETRY_AFTER,
    reason: options.reason,
  });
}

export function clearFaults(state: EmulatorState): void {
  state.faults.clear();
  releaseHangs(state);
}

/** Consumes one hit of a fault; undefined when it is off (or its count has run out). */
export function takeFault(state: EmulatorState, name: FaultName): ActiveFault | undefined {
  const fault = state.faults.get(name);
  if (!fault) return undefined;
  if (fault.remaining !== undefined) {
    fault.remaining -= 1;
    if (fault.remaining <= 0) state.faults.delete(name);
  }
  return fault;
}

/**
 * Holds a request until the hang fault is cleared, the emulator closes, or the client goes away.
 * A bare pending promise holds no timer, so it never keeps the process alive.
 */
export function hang(state: EmulatorState, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const release = () => {
      state.hangs.delete(release);
      resolve();
    };
    state.hangs.add(release);
    signal.addEventListener("abort", release, { once: true });
  });
}
