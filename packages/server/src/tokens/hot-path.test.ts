/**
 * The hot path: `GET …/oauth_atlassian` while the stored token is fresh reads, and never writes
 * or calls Atlassian. Grant health (journal, leases, back-off) must cost nothing here.
 */
import { DB_KINDS } from "@foyer/testkit/databases";
import { type GrantSuite, startGrantSuite } from "@foyer/testkit/grant-suite";
import type { KyselyPlugin } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe.each(DB_KINDS)("the token read while fresh (%s)", (kind) => {
  let s: GrantSuite;
  beforeAll(async () => {
    s = await startGrantSuite(kind);
  });
  afterAll(() => s?.close());

  it("runs only the secret key and accounts reads: no write, no Atlassian call", async () => {
    const { userId } = await s.seed();
    expect((await s.getToken(userId)).status).toBe(200);
    const kinds: string[] = [];
    const counting: KyselyPlugin = {
      transformQuery: (args) => {
        kinds.push(args.node.kind);
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const db = s.foyer.svc.db;
    const original = db.kysely;
    db.kysely = original.withPlugin(counting);
    s.te.emulator.control.resetCounters();
    try {
      expect((await s.getToken(userId)).status).toBe(200);
    } finally {
      db.kysely = original;
    }
    // The secret key's instance, then the user's Atlassian accounts: as before grant health.
    expect(kinds).toEqual(["SelectQueryNode", "SelectQueryNode"]);
    expect(s.te.emulator.control.counters()).toMatchObject({ refreshes: 0, refreshFailures: 0 });
  });
});
