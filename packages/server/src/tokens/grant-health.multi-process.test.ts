/**
 * Grant health across real `foyer start` processes on PostgreSQL, with no app request after the
 * failure: the recovery job of a running process finds refreshes whose answer was lost (dropped
 * on the way back, or its process SIGKILLed after Atlassian rotated) and the rotated-token
 * writes the database refused are written again in memory. The figures test counts, for
 * Atlassian's leeway at 0 and 600 s, how many grants survive each failure and how the others
 * are reported.
 */
import {
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
import { eventually } from "@foyer/testkit/grant-suite";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { createTestInstance } from "@foyer/testkit/instances";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ExternalAccountTable } from "../db/schema.js";
import { decryptTokens } from "./token-store.js";

/** Grants per failure kind and leeway in the figures test. */
const N = 20;

describe.skipIf(!postgresUrl)("grant health across Foyer processes (postgres)", () => {
  let te: TokenEmulator;
  let foyer: TestFoyer;
  let instanceId: string;
  let secretKey: string;
  let children: FoyerChild[] = [];

  beforeAll(async () => {
    buildForChildren();
    te = await startTokenEmulator();
    foyer = await createTestFoyer("postgres", { atlassian: te.atlassian });
    ({ id: instanceId, secretKey } = await createTestInstance(foyer));
  }, 120_000);
  afterEach(async () => {
    te.emulator.control.clearFaults();
    await stopFoyerChildren(children);
    children = [];
  });
  afterAll(async () => {
    await foyer?.close();
    await te?.emulator.close();
  });

  const start = async (opts: Omit<Parameters<typeof startFoyerChild>[0], "foyer" | "te"> = {}) => {
    const child = await startFoyerChild({ foyer, te, ...opts });
    children.push(child);
    return child;
  };
  const getToken = (child: FoyerChild, userId: string, signal?: AbortSignal) =>
    fetch(`${child.url}/v1/users/${userId}/oauth_access_tokens/oauth_atlassian`, {
      headers: { authorization: `Bearer ${secretKey}` },
      signal,
    });
  const rows = (ids: string[]) =>
    foyer.svc.db.kysely.selectFrom("external_accounts").selectAll().where("id", "in", ids).execute();
  async function seedExpired(count: number) {
    // One at a time: each seed queues the consent its own /authorize must take.
    const seeded = [];
    for (let i = 0; i < count; i++) {
      seeded.push(await seedAtlassianUser(foyer, te, { instanceId, accountId: newEmulatorAccount(te) }));
    }
    for (const s of seeded) await expireAccessToken(foyer, s.externalAccountId);
    return seeded;
  }
  /** Whether the stored refresh token still refreshes at the emulator (a raw call, not Foyer's). */
  const refreshTokenLives = async (row: ExternalAccountTable) => {
    const res = await fetch(`${te.emulator.authUrl}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        grant_type: "refresh_token",
        client_id: te.clientId,
        client_secret: te.clientSecret,
        refresh_token: decryptTokens(foyer.svc, row).refreshToken,
      }),
    });
    return res.status === 200;
  };

  it("the recovery job of foyer start retries a lost answer with no app request", async () => {
    te.emulator.control.settings({ refreshLeewaySeconds: 600 });
    const child = await start({ env: { FOYER_ATLASSIAN_TIMEOUT_MS: "1000" } });
    const { userId, externalAccountId } = (await seedExpired(1))[0]!;
    const before = (await rows([externalAccountId]))[0]!;
    te.emulator.control.resetCounters();
    te.emulator.control.setFault("token_drop_after_rotate", { count: 1 });
    expect((await getToken(child, userId)).status).toBe(503);
    expect(te.emulator.control.counters().refreshes).toBe(1);

    const recovered = await eventually(
      async () => {
        const [row] = await rows([externalAccountId]);
        return row && row.refresh_intent_at === null && row.token_version > before.token_version
          ? row
          : undefined;
      },
      "the recovery job to store the retried refresh",
      60_000,
    );
    expect(recovered.status).toBe("active");
    expect(te.emulator.control.counters().refreshes).toBe(2);
    const token = decryptTokens(foyer.svc, recovered).accessToken!;
    const me = await fetch(`${te.emulator.apiUrl}/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    // The pass logs once it is over (after the row is stored): wait for the line, not race it.
    await eventually(
      async () => (child.output().includes("grant health pass") ? true : undefined),
      "the recovery pass's log line",
      10_000,
    );
  }, 90_000);

  it("figures: grants kept and lost after crashes and refused writes, at leeway 0 and 600 s", async () => {
    const figures: string[] = [];
    for (const leeway of [600, 0]) {
      te.emulator.control.settings({ refreshLeewaySeconds: leeway });
      // Foyer is told the same leeway Atlassian applies, so it can name what it lost.
      const env = { FOYER_ATLASSIAN_REFRESH_LEEWAY_SECONDS: String(leeway) };
      const [survivor, doomed] = await Promise.all([
        start({ fault: "fail-store-once", env }),
        start({ fault: "crash-after-refresh-response", faultArgs: [String(N)], env }),
      ]);
      const [crashed, refused] = [await seedExpired(N), await seedExpired(N)];
      te.emulator.control.resetCounters();

      // (b) Every first write of a rotated token fails: 503 database_unavailable, retried in memory.
      const refusedAnswers = await Promise.all(refused.map((s) => getToken(survivor, s.userId)));
      expect(refusedAnswers.map((r) => r.status)).toEqual(Array(N).fill(503));
      // (a) N refreshes answered by Atlassian, then the process dies before storing any.
      const signal = AbortSignal.timeout(30_000);
      const crashAnswers = await Promise.allSettled(crashed.map((s) => getToken(doomed, s.userId, signal)));
      expect(crashAnswers.every((r) => r.status === "rejected")).toBe(true);
      await doomed.exited;
      expect(te.emulator.control.counters().refreshes).toBe(2 * N);

      // No app request from here: the survivor's recovery job and its write retries settle all.
      const ids = [...crashed, ...refused].map((s) => s.externalAccountId);
      const settled = await eventually(
        async () => {
          const all = await rows(ids);
          return all.every((r) => r.refresh_intent_at === null && r.refresh_lock_owner === null)
            ? all
            : undefined;
        },
        "every interrupted refresh to be settled",
        60_000,
      );
      const byId = new Map(settled.map((r) => [r.id, r]));
      const tally = async (group: typeof crashed) => {
        const counts = { alive: 0, refresh_lost: 0, other_reason: 0, silently_dead: 0 };
        for (const { externalAccountId } of group) {
          const row = byId.get(externalAccountId)!;
          if (row.status === "reauthorization_required") {
            if (row.reauthorization_reason === "refresh_lost") counts.refresh_lost++;
            else counts.other_reason++;
          } else if (await refreshTokenLives(row)) counts.alive++;
          else counts.silently_dead++;
        }
        return counts;
      };
      const crash = await tally(crashed);
      const write = await tally(refused);
      figures.push(
        `leeway ${leeway} s: crash ${crash.alive} alive / ${crash.refresh_lost} refresh_lost / ${crash.other_reason} other / ${crash.silently_dead} silently dead; ` +
          `write failure ${write.alive} alive / ${write.refresh_lost} refresh_lost / ${write.other_reason} other / ${write.silently_dead} silently dead`,
      );
      expect(write).toEqual({ alive: N, refresh_lost: 0, other_reason: 0, silently_dead: 0 });
      expect(crash).toEqual(
        leeway > 0
          ? { alive: N, refresh_lost: 0, other_reason: 0, silently_dead: 0 }
          : { alive: 0, refresh_lost: N, other_reason: 0, silently_dead: 0 },
      );
      await stopFoyerChildren(children);
      children = [];
    }
    console.log(`grant-health figures (N=${N} per cell) | ${figures.join(" | ")}`);
  }, 180_000);
});
