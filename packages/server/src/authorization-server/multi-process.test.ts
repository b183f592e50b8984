/**
 * Two Foyer processes on one PostgreSQL database: an operator's change to the authorization
 * server's settings through A (here: turning on Dynamic Client Registration) is in force on B at
 * once (the change feed drops B's cached provider), and a client registered through A is known
 * to B (the storage is shared, nothing of it is per process).
 */
import { postgresUrl } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { createTestInstance, type TestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe.skipIf(!postgresUrl)("the authorization server across two processes (postgres)", () => {
  let a: TestFoyer;
  let b: TestFoyer;
  let t: TestInstance;
  beforeAll(async () => {
    a = await createTestFoyer("postgres", { listen: true });
    b = await createTestFoyer("postgres", {
      listen: true,
      database: a.database,
      encryptionKey: a.encryptionKey,
      platformToken: a.platformToken,
    });
    t = await createTestInstance(a);
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  const onB = (path: string, init?: RequestInit) =>
    fetch(`${b.svc.config.publicUrl}${t.fapiPath}${path}`, init);

  it("hears of a settings change made through the other process", async () => {
    // B builds (and caches) the instance's provider without registration.
    const before = await (await onB("/.well-known/oauth-authorization-server")).json();
    expect(before.registration_endpoint).toBeUndefined();
    await a.platform(`/instances/${t.id}`, {
      method: "PATCH",
      json: { oauth_dynamic_client_registration: true },
    });
    const deadline = Date.now() + 2_000;
    let doc = before;
    while (doc.registration_endpoint === undefined && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      doc = await (await onB("/.well-known/oauth-authorization-server")).json();
    }
    // (Each test process has a public URL of its own; a deployment's processes share one.)
    expect(doc.registration_endpoint).toMatch(new RegExp(`/fapi/${t.id}/oauth/register$`));
  });

  it("signs with the same key in every process", async () => {
    const fromA = await (await fetch(`${a.svc.config.publicUrl}${t.fapiPath}/oauth/jwks`)).json();
    const fromB = await (await onB("/oauth/jwks")).json();
    expect(fromB.keys.map((k: { kid: string }) => k.kid)).toEqual(
      fromA.keys.map((k: { kid: string }) => k.kid),
    );
  });
});
