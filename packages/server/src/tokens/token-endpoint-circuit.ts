/**
 * A circuit breaker in front of Atlassian's token endpoint, per process and per Atlassian client.
 * The per-account back-off (refresh-lease.ts) stops one account's callers from retrying; this
 * stops an outage from costing one call per account: after a failure every refresh of that
 * client answers 503 at once until the back-off ends, and while a call has been hanging for
 * SLOW_MS no second one is started (one probe at a time finds out when Atlassian is back).
 */
import type { Services } from "../services.js";
import type { BackOffCode } from "./stored-token.js";

const SLOW_MS = 2_000;

/** Why the circuit is open, and for how long (seconds), as a failed call decided it. */
export interface CircuitFailure {
  seconds: number;
  code: BackOffCode;
}

interface Circuit {
  openUntil: number;
  /** The failure that opened the circuit, shared with the callers it turns away. */
  code: BackOffCode;
  /** Calls in flight, each with its start time (one entry per call, even if two start in the same ms). */
  inFlight: Set<{ started: number }>;
}

const circuits = new WeakMap<Services, Map<string, Circuit>>();

function circuitOf(svc: Services, clientId: string): Circuit {
  let map = circuits.get(svc);
  if (!map) {
    map = new Map();
    circuits.set(svc, map);
  }
  let circuit = map.get(clientId);
  if (!circuit) {
    circuit = { openUntil: 0, code: "oauth_provider_unavailable", inFlight: new Set() };
    map.set(clientId, circuit);
  }
  return circuit;
}

/**
 * How long a caller must wait before this client's token endpoint is tried again, and why;
 * undefined when it may call now.
 */
export function circuitWait(svc: Services, clientId: string): CircuitFailure | undefined {
  const circuit = circuitOf(svc, clientId);
  const now = svc.now();
  if (circuit.openUntil > now) {
    return { seconds: Math.max(1, Math.ceil((circuit.openUntil - now) / 1000)), code: circuit.code };
  }
  for (const { started } of circuit.inFlight) {
    if (now - started >= SLOW_MS) return { seconds: 1, code: "oauth_provider_unavailable" };
  }
  return undefined;
}

/** Runs one call through the circuit; `failedFor` says whether and how long a failure opens it. */
export async function throughCircuit<T>(
  svc: Services,
  clientId: string,
  call: () => Promise<T>,
  failedFor: (err: unknown) => CircuitFailure | undefined,
): Promise<T> {
  const circuit = circuitOf(svc, clientId);
  const entry = { started: svc.now() };
  circuit.inFlight.add(entry);
  try {
    const result = await call();
    circuit.openUntil = 0;
    return result;
  } catch (err) {
    const failure = failedFor(err);
    if (failure) {
      circuit.openUntil = Math.max(circuit.openUntil, svc.now() + failure.seconds * 1000);
      circuit.code = failure.code;
    }
    throw err;
  } finally {
    circuit.inFlight.delete(entry);
  }
}
