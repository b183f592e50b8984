/**
 * oidc-provider's "unsupported runtime" console warning on Node 20 becomes one line of Foyer's
 * log, and the console is Foyer's own again once the import is done. Each test file runs in its
 * own process (vitest forks), so this import is the module's first evaluation.
 */
import { Writable } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createLogger } from "../log.js";
import { loadOidcProvider, RUNTIME_NOTE } from "./load-oidc-provider.js";

// oidc-provider's own test: an LTS named before "Jod" (Node 22) gets its warning.
const warnsHere = (process.release.lts ?? "").charCodeAt(0) < "Jod".charCodeAt(0);

afterEach(() => vi.restoreAllMocks());

describe("loading oidc-provider", () => {
  it("holds back its runtime warning, says one line of Foyer's instead, and gives the console back", async () => {
    const warn = vi.spyOn(console, "warn");
    const lines: string[] = [];
    const log = createLogger(
      "info",
      new Writable({
        write(chunk, _enc, cb) {
          lines.push(String(chunk));
          cb();
        },
      }),
    );
    const [a, b] = await Promise.all([loadOidcProvider(log), loadOidcProvider(log)]);
    expect(a.default).toBeTypeOf("function");
    expect(b).toBe(a);
    expect(warn.mock.calls.flat().join(" ")).not.toContain("oidc-provider WARNING");
    expect(lines.filter((l) => l.includes(RUNTIME_NOTE)).length).toBe(warnsHere ? 1 : 0);
    expect(console.warn).toBe(warn);
    // Anything else said on the console still goes out.
    console.warn("after the import");
    expect(warn).toHaveBeenLastCalledWith("after the import");
  });
});
