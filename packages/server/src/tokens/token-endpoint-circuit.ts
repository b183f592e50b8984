/**
 * A circuit breaker in front of Atlassian's token endpoint, per process and per Atlassian client.
 * The per-account back-off (refresh-lease.ts) stops one account's callers from retrying; this
 * stops an outage from costing one call per account: after a failure every refresh of that
 * client answers 503 at once until the back-off ends, and while a call has been hanging for
 * SLOW_MS no second one is started (one probe at a time finds out when Atlassian is back).
 */
import type { Services } from "../services.js";

const SLOW_MS = 2_000;

interface Circuit {
  openUntil: number;
  /** Calls in flight, by start time. */
  inFlight: Set<number>;
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
    circuit = { openUntil: 0, inFlight: new Set() };
    map.set(clientId, circuit);
  }
  return circuit;
}

/** Seconds a caller must wait before this client's token endpoint is tried again; 0 when it may call now. */
export function circuitWaitSeconds(svc: Services, clientId: string): number {
  const circuit = circuitOf(svc, clientId);
  const now = svc.now();
  if (circuit.openUntil > now) return Math.max(1, Math.ceil((circuit.openUntil - now) / 1000));
  for (const started of circuit.inFlight) if (now - started >= SLOW_MS) return 1;
  return 0;
}

/** Runs one call through the circuit; `failedFor` says how long a failure keeps it open (seconds). */
export async function throughCircuit<T>(
  svc: Services,
  clientId: string,
  call: () => Promise<T>,
  failedFor: (err: unknown) => number | undefined,
): Promise<T> {
  const circuit = circuitOf(svc, clientId);
  const started = svc.now();
  circuit.inFlight.add(started);
  try {
    const result = await call();
    circuit.openUntil = 0;
    return result;
  } catch (err) {
    const seconds = failedFor(err);
    if (seconds !== undefined) circuit.openUntil = Math.max(circuit.openUntil, svc.now() + seconds * 1000);
    throw err;
  } finally {
    circuit.inFlight.delete(started);
  }
}
