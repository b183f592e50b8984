import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "./config.js";
import { createKeyring, DecryptionError, type Keyring, keyIdOf, parseKey } from "./crypto/aead.js";
import { randomToken } from "./crypto/random.js";
import { type Db, isPostgresUrl, openDatabase } from "./db/database.js";
import { CANARY_KEY, CANARY_TEXT, canaryAad } from "./db/encrypted-columns.js";
import {
  countValuesByKey,
  listKeyId,
  readKeyIdsInUse,
  totalsByKey,
  writeKeyIdsInUse,
} from "./db/key-usage.js";
import { migrateToLatest } from "./db/migrate.js";
import { redisWindowStore } from "./limits/redis-store.js";
import { SharedLimits } from "./limits/shared-limits.js";
import { sqlWindowStore } from "./limits/window-store.js";
import type { Logger } from "./log.js";
import type { AtlassianSettings, FaultPoints, Services } from "./services.js";

/**
 * Secrets a development install generates on its first run and reuses afterwards. Production
 * refuses to start without them (see loadConfig), so these files exist only for local use.
 */
function readOrCreateSecret(
  dataDir: string,
  file: string,
  make: () => string,
  log: Logger,
  what: string,
  envName: string,
): string {
  const path = join(dataDir, file);
  if (existsSync(path)) return readFileSync(path, "utf8").trim();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const value = make();
  writeFileSync(path, `${value}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  log.warn(`Generated a ${what} in ${path}. Production must set ${envName} instead.`);
  return value;
}

/** Fills in the secrets a development install generates for itself. */
export function resolveSecrets(config: Config, log: Logger): Config {
  const encryptionKey =
    config.encryptionKey ??
    readOrCreateSecret(
      config.dataDir,
      "encryption.key",
      () => randomToken(32),
      log,
      "encryption key",
      "FOYER_ENCRYPTION_KEY",
    );
  const platformToken =
    config.platformToken ??
    readOrCreateSecret(
      config.dataDir,
      "platform-token",
      () => `fyr_plat_${randomToken(32)}`,
      log,
      "platform token",
      "FOYER_PLATFORM_TOKEN",
    );
  return { ...config, encryptionKey, platformToken };
}

export function keyringFrom(config: Config): Keyring {
  return createKeyring(
    parseKey(config.encryptionKey!, "FOYER_ENCRYPTION_KEY"),
    config.previousEncryptionKeys.map((k) => parseKey(k, "FOYER_PREVIOUS_ENCRYPTION_KEYS")),
  );
}

/** Where each configured key comes from, by key id, for messages an operator can act on. */
export function keySources(config: Config): Map<string, string> {
  const sources = new Map<string, string>();
  if (config.encryptionKey) {
    sources.set(keyIdOf(parseKey(config.encryptionKey, "FOYER_ENCRYPTION_KEY")), "FOYER_ENCRYPTION_KEY");
  }
  config.previousEncryptionKeys.forEach((k, i) => {
    const id = keyIdOf(parseKey(k, "FOYER_PREVIOUS_ENCRYPTION_KEYS"));
    if (!sources.has(id)) sources.set(id, `FOYER_PREVIOUS_ENCRYPTION_KEYS (key ${i + 1} of the list)`);
  });
  return sources;
}

/**
 * Proves at start that the configured keys open everything already stored. A wrong key, or an
 * old key dropped while values still need it, must stop start-up with a clear message naming the
 * key ids, never let new writes mix keys or leave rows no process can read. The canary is never
 * rewritten here: moving it to a new key is `foyer rekey`'s last step, once no value needs an old
 * key (rewriting it at start made rotation look finished while rows still used the old key).
 *
 * Which key ids are in use comes from the list in foyer_meta (db/key-usage.ts), one read, not
 * from a scan of every encrypted value: measured on this machine, that scan (one grouped query
 * per column over the key-id prefix) took 0.6 s on SQLite and 0.1 s on PostgreSQL for 20,000
 * external accounts with two 2 kB tokens each, growing with the data, at every process start
 * (SQLite reads each value whole). The scan runs only where it has to: once, on a database from
 * before the list existed; in `foyer rekey`, which shrinks the list from what it found; and in
 * a refused start, to say how many values need the missing key.
 */
export async function checkEncryptionKey(db: Db, keyring: Keyring): Promise<void> {
  let recorded = await readKeyIdsInUse(db);
  if (!recorded) {
    const found = [...totalsByKey(await countValuesByKey(db)).keys()];
    await writeKeyIdsInUse(db, undefined, found);
    recorded = (await readKeyIdsInUse(db))!;
  }
  const missing = recorded.ids.filter((id) => !keyring.keyIds.includes(id));
  if (missing.length > 0) throw await missingKeyError(db, keyring, recorded.ids, missing);

  const row = await db.kysely
    .selectFrom("foyer_meta")
    .select("value")
    .where("key", "=", CANARY_KEY)
    .executeTakeFirst();
  if (row) {
    try {
      if (keyring.decrypt(row.value, canaryAad()) !== CANARY_TEXT) throw new DecryptionError("mismatch");
    } catch (err) {
      throw new Error(
        "FOYER_ENCRYPTION_KEY does not open this database: it was created with another key. Set the original key " +
          "(or list it in FOYER_PREVIOUS_ENCRYPTION_KEYS while rotating). Nothing was changed.",
        { cause: err },
      );
    }
  }
  // Listed before this process writes anything under it (compare-and-swap: processes starting
  // at once with different keys each keep their own).
  await listKeyId(db, keyring.currentKeyId);
  if (!row) {
    await db.kysely
      .insertInto("foyer_meta")
      .values({ key: CANARY_KEY, value: keyring.encrypt(CANARY_TEXT, canaryAad()) })
      .onConflict((oc) => oc.column("key").doNothing())
      .execute();
  }
}

async function missingKeyError(db: Db, keyring: Keyring, inUse: string[], missing: string[]): Promise<Error> {
  const counts = totalsByKey(await countValuesByKey(db));
  const needed = missing
    .map((id) => {
      const n = counts.get(id) ?? 0;
      return `${id} (${n} value${n === 1 ? "" : "s"}${n === 0 ? ": none left, `foyer rekey` records that" : ""})`;
    })
    .join(", ");
  const opensNothing = inUse.every((id) => !keyring.keyIds.includes(id));
  return new Error(
    opensNothing
      ? `FOYER_ENCRYPTION_KEY does not open this database: its values are encrypted with key id ${needed}, ` +
          `and the configured keys are ${keyring.keyIds.join(", ")}. Set the original key; if you are rotating ` +
          "keys, put the old key in FOYER_PREVIOUS_ENCRYPTION_KEYS and run `foyer rekey`. Nothing was changed."
      : `Stored values still need encryption key id ${needed}, which is not configured. Put that key back in ` +
          "FOYER_PREVIOUS_ENCRYPTION_KEYS and run `foyer rekey`; drop an old key only once `foyer rekey --status` " +
          "shows no value left under it. Nothing was changed.",
  );
}

/** Brings the schema up to date on a connection of its own (no query timeout). */
export async function migrateDatabase(databaseUrl: string, schema?: string): Promise<string[]> {
  const db = openDatabase(databaseUrl, { schema, timeoutMs: null, poolSize: 2 });
  try {
    return await migrateToLatest(db);
  } finally {
    await db.close();
  }
}

/** Opens storage, migrates and checks the key: everything a Foyer process needs before serving. */
export async function createServices(
  config: Config,
  log: Logger,
  opts: {
    atlassian?: AtlassianSettings;
    now?: () => number;
    schema?: string;
    migrate?: boolean;
    faults?: FaultPoints;
    outboundCa?: string[];
  } = {},
): Promise<Services> {
  const resolved = resolveSecrets(config, log);
  const keyring = keyringFrom(resolved);
  if (!isPostgresUrl(resolved.databaseUrl) && resolved.databaseUrl !== ":memory:") {
    // Only Foyer's user may list or enter the folder that holds the database and its secrets.
    mkdirSync(join(resolved.databaseUrl, ".."), { recursive: true, mode: 0o700 });
  }
  // Migrations run on their own connection without the query timeout requests have.
  if (opts.migrate !== false) await migrateDatabase(resolved.databaseUrl, opts.schema);
  const db = openDatabase(resolved.databaseUrl, {
    schema: opts.schema,
    log,
    timeoutMs: resolved.databaseTimeoutMs,
  });
  try {
    // `foyer migrate` opens storage without migrating: it migrates first, then checks the key
    // (on an empty database the canary's table does not exist yet).
    if (opts.migrate !== false) await checkEncryptionKey(db, keyring);
  } catch (err) {
    await db.close();
    throw err;
  }
  const now = opts.now ?? Date.now;
  const limits = new SharedLimits(
    resolved.redisUrl
      ? redisWindowStore(resolved.redisUrl, resolved.redisKeyPrefix)
      : sqlWindowStore(db.kysely, db.dialect),
    log,
    now,
  );
  const { sharedClientId, sharedClientSecret } = resolved.atlassian;
  return {
    config: resolved,
    // Every way a process shuts down closes `db`: the limiter's last counts go out first.
    db: {
      ...db,
      close: async () => {
        await limits.close();
        await db.close();
      },
    },
    keyring,
    log,
    limits,
    now,
    atlassian: opts.atlassian ?? {
      authUrl: resolved.atlassian.authUrl,
      apiUrl: resolved.atlassian.apiUrl,
      shared:
        sharedClientId && sharedClientSecret
          ? { clientId: sharedClientId, clientSecret: sharedClientSecret }
          : undefined,
      emulated: false,
      timeoutMs: resolved.atlassian.timeoutMs,
    },
    ...(opts.faults ? { faults: opts.faults } : {}),
    ...(opts.outboundCa ? { outboundCa: opts.outboundCa } : {}),
  };
}
