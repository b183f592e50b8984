/**
 * Encryption-key rotation as an operator runs it: the new key current, the old one in
 * FOYER_PREVIOUS_ENCRYPTION_KEYS, `foyer rekey` (the built CLI), then the old key dropped. Also a
 * start that dropped the key too early, a rekey stopped after one batch and resumed, and a token
 * refresh landing between rekey's read and its write.
 */
import { expireAccessToken, startTokenEmulator, type TokenEmulator } from "@foyer/testkit/atlassian-user";
import { createTestDatabase, DB_KINDS, type TestDatabase } from "@foyer/testkit/databases";
import { buildForChildren } from "@foyer/testkit/foyer-children";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import {
  cliEnv,
  expectAllUnder,
  expectDeploymentWorks,
  runFoyer,
  type SeededDeployment,
  seedDeployment,
} from "@foyer/testkit/seeded-deployment";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { keyIdOf } from "../crypto/aead.js";
import { randomToken } from "../crypto/random.js";
import { KEY_IDS_IN_USE } from "../db/key-usage.js";
import { rekey } from "../db/rekey.js";
import { decryptTokens } from "../tokens/token-store.js";

const newKey = () => Buffer.from(randomToken(32), "base64url").toString("base64");
const idOf = (key: string) => keyIdOf(Buffer.from(key, "base64"));

beforeAll(() => buildForChildren());

describe.each(DB_KINDS)("foyer rekey (%s)", (kind) => {
  let te: TokenEmulator;
  const open: TestFoyer[] = [];
  const databases: TestDatabase[] = [];
  const platformToken = `fyr_plat_${randomToken(32)}`;

  beforeAll(async () => {
    // Strict rotation: a refresh token used after rotation is dead, so a clobbered one shows.
    te = await startTokenEmulator({ refreshLeewaySeconds: 0 });
  });
  afterEach(async () => {
    for (const f of open.splice(0)) await f.close();
  });
  afterAll(async () => {
    for (const db of databases) await db.drop();
    await te?.emulator.close();
  });

  /** A Foyer on `database` with these keys; closed after the test, the database kept. */
  async function foyerWith(database: TestDatabase, current: string, previous: string[] = []) {
    const foyer = await createTestFoyer(kind, {
      database,
      encryptionKey: current,
      platformToken,
      atlassian: te.atlassian,
      env: previous.length ? { FOYER_PREVIOUS_ENCRYPTION_KEYS: previous.join(",") } : {},
    });
    open.push(foyer);
    return foyer;
  }
  async function close(foyer: TestFoyer) {
    open.splice(open.indexOf(foyer), 1);
    await foyer.close();
  }
  /** A database holding a seeded deployment, everything encrypted under `key`. */
  async function seededUnder(key: string): Promise<{ database: TestDatabase; d: SeededDeployment }> {
    const database = await createTestDatabase(kind);
    databases.push(database);
    const foyer = await foyerWith(database, key);
    const d = await seedDeployment(foyer, te);
    await close(foyer);
    return { database, d };
  }
  const status = async (database: TestDatabase, current: string, previous?: string[]) => {
    const run = await runFoyer(
      ["rekey", "--status", "--json"],
      cliEnv(database, { current, previous }, platformToken),
    );
    expect(run.status, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as {
      remaining: number;
      by_key: Record<string, number>;
      current_key: string;
      configured_in: Record<string, string | null>;
    };
  };

  it("rekeys every value, after which the old key can be dropped and everything still reads", async () => {
    const [oldKey, key] = [newKey(), newKey()];
    const { database, d } = await seededUnder(oldKey);

    // Rotation step 1: new key current, old key previous. Old values read, new ones are written.
    const rotating = await foyerWith(database, key, [oldKey]);
    await expectDeploymentWorks(rotating, d);
    expect(
      (await rotating.platform(`/instances/${d.devInstanceId}/secret_keys`, { method: "POST" })).status,
    ).toBe(201);

    const before = await status(database, key, [oldKey]);
    expect(before.remaining).toBeGreaterThanOrEqual(8);
    expect(Object.keys(before.by_key)).toEqual([idOf(oldKey)]);
    expect(before.configured_in[idOf(oldKey)]).toBe("FOYER_PREVIOUS_ENCRYPTION_KEYS (key 1 of the list)");

    // Rekey runs while Foyer serves: session tokens minted (the signing key read) all along.
    let rekeying = true;
    const traffic = (async () => {
      let n = 0;
      while ((rekeying || n === 0) && n < 2_000) {
        await new Promise((r) => setImmediate(r));
        const res = await rotating.request(
          `${d.fapiPath}/v1/client/sessions/${d.signedIn.sessionId}/tokens`,
          {
            method: "POST",
            headers: { cookie: d.signedIn.cookie },
          },
        );
        expect(res.status).toBe(200);
        n++;
      }
      return n;
    })();
    const run = await runFoyer(
      ["rekey"],
      cliEnv(database, { current: key, previous: [oldKey] }, platformToken),
    );
    rekeying = false;
    expect(await traffic).toBeGreaterThan(1);
    await close(rotating);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`${before.remaining - 1} values re-encrypted under key ${idOf(key)}.`);
    expect(run.stdout).toContain(`Encryption canary moved to key ${idOf(key)}.`);
    expect(run.stdout).toContain("Done: no value uses an old key.");
    expect((await status(database, key)).remaining).toBe(0);

    // The old key dropped: start-up works, and everything reads with the new key alone.
    const after = await foyerWith(database, key);
    await expectDeploymentWorks(after, d);
    expect(await expectAllUnder(after, key)).toBe(before.remaining + 1);
  });

  it("refuses a start that dropped the old key before rekey, naming the key id still needed", async () => {
    const [oldKey, key] = [newKey(), newKey()];
    const { database } = await seededUnder(oldKey);
    const rotating = await foyerWith(database, key, [oldKey]);
    await close(rotating);
    await expect(foyerWith(database, key)).rejects.toThrow(
      new RegExp(
        `Stored values still need encryption key id ${idOf(oldKey)} \\(\\d+ values\\), which is not configured\\. ` +
          "Put that key back in FOYER_PREVIOUS_ENCRYPTION_KEYS and run `foyer rekey`",
      ),
    );
    // --status answers all the same, and says the key is not configured.
    const s = await status(database, key);
    expect(s.configured_in).toEqual({ [idOf(oldKey)]: null });
    const words = await runFoyer(["rekey", "--status"], cliEnv(database, { current: key }, platformToken));
    expect(words.status).toBe(0);
    expect(words.stdout).toContain(`key ${idOf(oldKey)}: `);
    expect(words.stdout).toContain("(unknown key: not configured)");
    // rekey itself refuses without the key, changing nothing.
    const refused = await runFoyer(["rekey"], cliEnv(database, { current: key }, platformToken));
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain(`need encryption key ${idOf(oldKey)}`);
    expect((await status(database, key)).remaining).toBe(s.remaining);
  });

  it("finds the keys in use from the data on a database from before their record", async () => {
    const [oldKey, key] = [newKey(), newKey()];
    const { database, d } = await seededUnder(oldKey);
    const wipeRecord = async () => {
      const f = await foyerWith(database, oldKey);
      await f.svc.db.kysely.deleteFrom("foyer_meta").where("key", "=", KEY_IDS_IN_USE).execute();
      await close(f);
    };
    await wipeRecord();
    await expect(foyerWith(database, key)).rejects.toThrow(`key id ${idOf(oldKey)} (`);
    await wipeRecord();
    await expectDeploymentWorks(await foyerWith(database, key, [oldKey]), d);
  });

  it("stops after one batch when asked, resumes where it stopped, and is then a no-op", async () => {
    const [oldKey, key] = [newKey(), newKey()];
    const { database, d } = await seededUnder(oldKey);
    const env = cliEnv(database, { current: key, previous: [oldKey] }, platformToken);
    const total = (await status(database, key, [oldKey])).remaining;

    const first = await runFoyer(["rekey", "--batch-size", "1", "--max-batches", "1"], env);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain("Stopped after 1 batch as asked");
    const midway = await status(database, key, [oldKey]);
    expect(midway.remaining).toBe(total - 1);
    expect(midway.by_key).toEqual({ [idOf(oldKey)]: total - 1 });
    expect(midway.current_key).toBe(idOf(key));
    // Interrupted: the old key is still needed, and start-up says so.
    await expect(foyerWith(database, key)).rejects.toThrow(idOf(oldKey));

    const rest = await runFoyer(["rekey", "--batch-size", "2"], env);
    expect(rest.status, rest.stderr).toBe(0);
    expect(rest.stdout).toContain(`${total - 2} values re-encrypted`);
    expect(rest.stdout).toContain("Done: no value uses an old key.");
    expect(await status(database, key)).toEqual({
      remaining: 0,
      by_key: {},
      current_key: idOf(key),
      configured_in: {},
    });

    const again = await runFoyer(["rekey"], env);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain("0 values re-encrypted");
    await expectDeploymentWorks(await foyerWith(database, key), d);
  });

  it("never overwrites a token refresh that lands between its read and its write", async () => {
    const [oldKey, key] = [newKey(), newKey()];
    const { database, d } = await seededUnder(oldKey);
    const foyer = await foyerWith(database, key, [oldKey]);
    await expireAccessToken(foyer, d.externalAccountId);
    let refreshed: string | undefined;
    const result = await rekey(foyer.svc.db, foyer.svc.keyring, {
      beforeWrite: async (col, row) => {
        if (col.column !== "access_token_enc" || row.id !== d.externalAccountId || refreshed) return;
        // A real refresh through the Backend API: Atlassian rotates both tokens, Foyer stores them.
        const res = await foyer.request(`/v1/users/${d.userId}/oauth_access_tokens/oauth_atlassian`, {
          headers: { authorization: `Bearer ${d.secretKey}` },
        });
        expect(res.status).toBe(200);
        refreshed = (await res.json())[0].token;
      },
    });
    expect(refreshed).toBeDefined();
    expect(refreshed).not.toBe(d.accessToken);
    expect(result.changedMeanwhile).toBe(1);
    expect(result).toMatchObject({ complete: true, remaining: 0, unreadable: 0 });
    const row = await foyer.svc.db.kysely
      .selectFrom("external_accounts")
      .selectAll()
      .where("id", "=", d.externalAccountId)
      .executeTakeFirstOrThrow();
    expect(decryptTokens(foyer.svc, row).accessToken).toBe(refreshed);
    // The rotated refresh token is the one kept: the next refresh works at a strict Atlassian.
    await close(foyer);
    const after = await foyerWith(database, key);
    await expireAccessToken(after, d.externalAccountId);
    const res = await after.request(`/v1/users/${d.userId}/oauth_access_tokens/oauth_atlassian`, {
      headers: { authorization: `Bearer ${d.secretKey}` },
    });
    expect(res.status).toBe(200);
  });
});
