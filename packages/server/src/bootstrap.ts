import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "./config.js";
import { createKeyring, DecryptionError, type Keyring, parseKey } from "./crypto/aead.js";
import { randomToken } from "./crypto/random.js";
import { type Db, isPostgresUrl, openDatabase } from "./db/database.js";
import { migrateToLatest } from "./db/migrate.js";
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

const CANARY_KEY = "encryption_canary";
const CANARY_TEXT = "foyer-encryption-canary";

/**
 * Proves at start that the configured key opens what is already stored. A wrong key must stop
 * start-up with a clear message, never let new writes mix two keys in one database.
 */
export async function checkEncryptionKey(db: Db, keyring: Keyring): Promise<void> {
  const row = await db.kysely
    .selectFrom("foyer_meta")
    .select("value")
    .where("key", "=", CANARY_KEY)
    .executeTakeFirst();
  if (!row) {
    await db.kysely
      .insertInto("foyer_meta")
      .values({ key: CANARY_KEY, value: keyring.encrypt(CANARY_TEXT, CANARY_KEY) })
      .onConflict((oc) => oc.column("key").doNothing())
      .execute();
    return;
  }
  try {
    if (keyring.decrypt(row.value, CANARY_KEY) !== CANARY_TEXT) throw new DecryptionError("mismatch");
  } catch (err) {
    throw new Error(
      "FOYER_ENCRYPTION_KEY does not open this database: it was created with another key. Set the original key " +
        "(or list it in FOYER_PREVIOUS_ENCRYPTION_KEYS while rotating). Nothing was changed.",
      { cause: err },
    );
  }
  // Rewrite the canary under the current key once the old one has opened it, so rotation can finish.
  if (!row.value.startsWith(`v1.${keyring.currentKeyId}.`)) {
    await db.kysely
      .updateTable("foyer_meta")
      .set({ value: keyring.encrypt(CANARY_TEXT, CANARY_KEY) })
      .where("key", "=", CANARY_KEY)
      .execute();
  }
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
  const { sharedClientId, sharedClientSecret } = resolved.atlassian;
  return {
    config: resolved,
    db,
    keyring,
    log,
    now: opts.now ?? Date.now,
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
  };
}
