/**
 * The change feed between real `foyer start` processes on PostgreSQL (the built CLI, its schema
 * chosen by the connection URL's options as an operator's would be): a secret key revoked and an
 * allowed origin added through one process are in force on the other within a second. The
 * in-process twin (changes-across-processes.test.ts) covers the rest and the listener's drop.
 */
import { startTokenEmulator, type TokenEmulator } from "@foyer/testkit/atlassian-user";
import { postgresUrl } from "@foyer/testkit/databases";
import {
  buildForChildren,
  type FoyerChild,
  startFoyerChild,
  stopFoyerChildren,
} from "@foyer/testkit/foyer-children";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { createTestInstance, type TestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

async function withinASecond(what: string, ok: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 1_000;
  for (;;) {
    if (await ok()) return;
    if (Date.now() > deadline) throw new Error(`${what}: not seen by the other process within 1 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(!postgresUrl)("changes across two foyer start processes (postgres)", () => {
  let te: TokenEmulator;
  let foyer: TestFoyer;
  let t: TestInstance;
  let a: FoyerChild;
  let b: FoyerChild;

  beforeAll(async () => {
    buildForChildren();
    te = await startTokenEmulator();
    foyer = await createTestFoyer("postgres", { atlassian: te.atlassian });
    t = await createTestInstance(foyer);
    [a, b] = await Promise.all([startFoyerChild({ foyer, te }), startFoyerChild({ foyer, te })]);
  }, 120_000);
  afterAll(async () => {
    await stopFoyerChildren([a, b].filter(Boolean));
    await foyer?.close();
    await te?.emulator.close();
  });

  const platform = (child: FoyerChild, path: string, init: { method: string; json?: unknown }) =>
    fetch(`${child.url}/platform/v1${path}`, {
      method: init.method,
      headers: { authorization: `Bearer ${foyer.platformToken}`, "content-type": "application/json" },
      ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
    });

  it("a secret key revoked through A is refused by B within a second", async () => {
    const created = await (
      await platform(a, `/instances/${t.id}/secret_keys`, { method: "POST", json: {} })
    ).json();
    const onB = () => fetch(`${b.url}/v1/users`, { headers: { authorization: `Bearer ${created.key}` } });
    expect((await onB()).status).toBe(200);
    expect(
      (await platform(a, `/instances/${t.id}/secret_keys/${created.id}`, { method: "DELETE" })).status,
    ).toBe(200);
    await withinASecond("secret key revocation", async () => (await onB()).status === 401);
  });

  it("an allowed origin added through A is honoured by B within a second", async () => {
    const origin = "https://multi-process.example.com";
    const preflight = () =>
      fetch(`${b.url}${t.fapiPath}/v1/client`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST" },
      });
    expect((await preflight()).status).toBe(403);
    const patched = await platform(a, `/instances/${t.id}`, {
      method: "PATCH",
      json: { allowed_origins: [origin] },
    });
    expect(patched.status).toBe(200);
    await withinASecond("allowed origin", async () => (await preflight()).status === 204);
  });
});
