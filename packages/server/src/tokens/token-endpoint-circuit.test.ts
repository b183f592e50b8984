import { describe, expect, it } from "vitest";
import type { Services } from "../services.js";
import { circuitWait, throughCircuit } from "./token-endpoint-circuit.js";

/** Just enough Services for the circuit: a clock the test moves. */
function clockedServices() {
  const clock = { t: 1_000_000 };
  const svc = { now: () => clock.t } as unknown as Services;
  return { svc, clock };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const UNAVAILABLE = { seconds: 2, code: "oauth_provider_unavailable" } as const;

describe("token endpoint circuit", () => {
  it("after a failure, turns callers away for its seconds with its code, then lets them call", async () => {
    const { svc, clock } = clockedServices();
    const failed = throughCircuit(
      svc,
      "client",
      () => Promise.reject(new Error("HTML page")),
      () => ({ seconds: 3, code: "oauth_provider_error" }),
    );
    await expect(failed).rejects.toThrow("HTML page");
    expect(circuitWait(svc, "client")).toEqual({ seconds: 3, code: "oauth_provider_error" });
    expect(circuitWait(svc, "other-client")).toBeUndefined();
    clock.t += 3_000;
    expect(circuitWait(svc, "client")).toBeUndefined();
  });

  it("a failure of one grant (no circuit failure) does not open it", async () => {
    const { svc } = clockedServices();
    await expect(
      throughCircuit(
        svc,
        "client",
        () => Promise.reject(new Error("invalid_grant")),
        () => undefined,
      ),
    ).rejects.toThrow();
    expect(circuitWait(svc, "client")).toBeUndefined();
  });

  it("while a call hangs for 2 s no other starts, even when two calls started in the same millisecond", async () => {
    const { svc, clock } = clockedServices();
    const [a, b] = [deferred(), deferred()];
    const callA = throughCircuit(
      svc,
      "client",
      () => a.promise,
      () => UNAVAILABLE,
    );
    const callB = throughCircuit(
      svc,
      "client",
      () => b.promise,
      () => UNAVAILABLE,
    );
    clock.t += 1_000;
    expect(circuitWait(svc, "client")).toBeUndefined();
    a.resolve();
    await callA;
    clock.t += 1_000;
    // B has now hung for 2 s: the next caller is told to wait rather than start a second call.
    expect(circuitWait(svc, "client")).toEqual({ seconds: 1, code: "oauth_provider_unavailable" });
    b.resolve();
    await callB;
    expect(circuitWait(svc, "client")).toBeUndefined();
  });
});
