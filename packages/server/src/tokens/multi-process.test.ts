/**
 * Refresh coordination between real Foyer processes: two `foyer start` children sharing one
 * PostgreSQL schema, and a child that is SIGKILLed at the worst moment (Atlassian has rotated
 * the refresh token, Foyer has not stored it yet). Runs the built CLI, so it builds first.
 */

import {
  dumpAllTables,
  expireAccessToken,
  newEmulatorAccount,
  seedAtlassianUser,
  startTokenEmulator,
  type TokenEmulator,
} from "@foyer/testkit/atlassian-user";
import { postgresUrl } from "@foyer/testkit/databases";
import {
  buildForChildren,
  type FoyerChild,
  startFoyerChild,
  stopFoyerChildren,
} from "@foyer/testkit/foyer-children";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { createTestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptTokens } from "./token-store.js";

type Child = FoyerChild;

describe.skipIf(!postgresUrl)("refresh across Foyer processes (postgres)", () => {
  let te: TokenEmulator;
  let foyer: TestFoyer;
  let instanceId: string;
  let secretKey: string;
  const children: Child[] = [];
  const seen = new Set<string>();

  /** A `foyer start` child, or with `fault` the same start with that fault point injected. */
  async function startChild(fault?: "crash-after-refresh-response"): Promise<Child> {
    const child = await startFoyerChild({ foyer, te, ...(fault ? { fault } : {}) });
    children.push(child);
    return child;
  }

  const getToken = (child: Child, userId: string) =>
    fetch(`${child.url}/v1/users/${userId}/oauth_access_tokens/oauth_atlassian`, {
      headers: { authorization: `Bearer ${secretKey}` },
    });

  async function seed() {
    const seeded = await seedAtlassianUser(foyer, te, { instanceId, accountId: newEmulatorAccount(te) });
    seen.add(seeded.tokens.access_token);
    seen.add(seeded.tokens.refresh_token!);
    return seeded;
  }
  const row = (id: string) =>
    foyer.svc.db.kysely
      .selectFrom("external_accounts")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow();

  beforeAll(async () => {
    buildForChildren();
    te = await startTokenEmulator({ refreshLeewaySeconds: 0 });
    foyer = await createTestFoyer("postgres", { atlassian: te.atlassian });
    ({ id: instanceId, secretKey } = await createTestInstance(foyer));
    seen.add(te.clientSecret);
  }, 120_000);

  afterAll(async () => {
    await stopFoyerChildren(children);
    await foyer?.close();
    await te?.emulator.close();
  });

  it("20 concurrent requests split over two processes cause exactly one refresh", async () => {
    const [a, b] = await Promise.all([startChild(), startChild()]);
    const { userId, externalAccountId } = await seed();
    await expireAccessToken(foyer, externalAccountId);
    te.emulator.control.resetCounters();
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => getToken(i % 2 ? a! : b!, userId)),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    const tokens = new Set((await Promise.all(responses.map((r) => r.json()))).map((body) => body[0].token));
    expect(tokens.size).toBe(1);
    for (const t of tokens) seen.add(t);
    expect(te.emulator.control.counters().refreshes).toBe(1);
    const stored = decryptTokens(foyer.svc, await row(externalAccountId));
    expect(tokens.has(stored.accessToken!)).toBe(true);
    seen.add(stored.refreshToken!);
  }, 60_000);

  it("a refresher killed before storing the rotation: recovered within Atlassian's leeway", async () => {
    te.emulator.control.settings({ refreshLeewaySeconds: 600 });
    const survivor = children[0]!;
    const doomed = await startChild("crash-after-refresh-response");
    const { userId, externalAccountId } = await seed();
    await expireAccessToken(foyer, externalAccountId);
    te.emulator.control.resetCounters();
    await expect(getToken(doomed, userId)).rejects.toThrow();
    await doomed.exited;
    expect(te.emulator.control.counters().refreshes).toBe(1);
    const orphaned = await row(externalAccountId);
    expect(orphaned.refresh_lock_until).toBeGreaterThan(Date.now());

    // The survivor waits out the dead process's lease, then refreshes with the stored (rotated-out
    // but within the leeway) token: the grant is kept.
    const res = await getToken(survivor, userId);
    expect(res.status).toBe(200);
    seen.add((await res.json())[0].token);
    expect(te.emulator.control.counters().refreshes).toBe(2);
    const after = await row(externalAccountId);
    expect(after.token_version).toBe(orphaned.token_version + 1);
    expect(after.status).toBe("active");
    seen.add(decryptTokens(foyer.svc, after).refreshToken!);
  }, 60_000);

  it("the same crash with no leeway reports oauth_reauthorization_required, never a silent loss", async () => {
    te.emulator.control.settings({ refreshLeewaySeconds: 0 });
    const survivor = children[0]!;
    const doomed = await startChild("crash-after-refresh-response");
    const { userId, externalAccountId } = await seed();
    await expireAccessToken(foyer, externalAccountId);
    await expect(getToken(doomed, userId)).rejects.toThrow();
    await doomed.exited;
    const res = await getToken(survivor, userId);
    expect(res.status).toBe(409);
    expect((await res.json()).errors[0].code).toBe("oauth_reauthorization_required");
    expect((await row(externalAccountId)).status).toBe("reauthorization_required");
  }, 60_000);

  it("no plaintext token or secret in the database or any process's logs", async () => {
    const dump = await dumpAllTables(foyer);
    const logs = children.map((c) => c.output()).join("\n") + foyer.logs();
    expect(seen.size).toBeGreaterThan(8);
    for (const secret of seen) {
      expect(dump.includes(secret), "a secret is stored in plaintext").toBe(false);
      expect(logs.includes(secret), "a secret reached the logs").toBe(false);
    }
  });
});
