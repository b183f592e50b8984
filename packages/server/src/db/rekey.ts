import { sql } from "kysely";
import { DecryptionError, type Keyring } from "../crypto/aead.js";
import type { Db } from "./database.js";
import { CANARY_COLUMN, ENCRYPTED_COLUMNS, type EncryptedColumn } from "./encrypted-columns.js";
import {
  countValuesByKey,
  keyIdExpression,
  listKeyId,
  onlyClause,
  readKeyIdsInUse,
  totalsByKey,
  writeKeyIdsInUse,
} from "./key-usage.js";

/**
 * `foyer rekey`: re-encrypts every stored value that is not under the current key, so an old key
 * can be dropped. Safe while Foyer serves traffic:
 * - each value is rewritten by a compare-and-swap on the ciphertext it read (`WHERE <pk> AND
 *   <col> = <old ciphertext>`): a value another writer replaced meanwhile (a token refresh
 *   rotating tokens, a new client secret) is never overwritten with a stale re-encryption; it is
 *   left as it is (that writer wrote it under the current key);
 * - the plaintext and the row's AAD are unchanged, so no reader can tell; nothing else on the row
 *   changes. In particular external_accounts.token_version is NOT bumped: a refresh in flight
 *   compares it, and failing that refresh would lose the refresh token Atlassian just rotated.
 * Resumable and idempotent: the work left is "values whose key id is not the current one", read
 * anew by every batch; an interrupted run loses nothing, a second run finds nothing.
 * The canary moves to the current key last, only once nothing else remains.
 */
export interface RekeyOptions {
  /** Values read and rewritten per batch (default 500). */
  batchSize?: number;
  /** Stop after this many batches (the rest is left for the next run). */
  maxBatches?: number;
  /** Progress lines, in words. */
  progress?: (line: string) => void;
  /** Tests: runs between reading a value and writing its re-encryption. */
  beforeWrite?: (col: EncryptedColumn, row: Record<string, string>) => void | Promise<void>;
}

export interface RekeyResult {
  /** Values now re-encrypted under the current key. */
  rekeyed: number;
  /** Values another writer changed between read and write (left as that writer wrote them). */
  changedMeanwhile: number;
  /** Values that did not decrypt (a missing key, or moved between rows): left untouched. */
  unreadable: number;
  /** Values still under an old key when the run ended (the canary included). */
  remaining: number;
  /** False when --max-batches stopped the run early. */
  complete: boolean;
}

const MAX_PASSES = 5;

export async function rekey(db: Db, keyring: Keyring, opts: RekeyOptions = {}): Promise<RekeyResult> {
  const batchSize = opts.batchSize ?? 500;
  const say = opts.progress ?? (() => {});
  const result: RekeyResult = {
    rekeyed: 0,
    changedMeanwhile: 0,
    unreadable: 0,
    remaining: 0,
    complete: true,
  };
  // Ids listed after this run began belong to processes that started meanwhile: kept.
  const listedAtStart = new Set((await readKeyIdsInUse(db))?.ids ?? []);
  await listKeyId(db, keyring.currentKeyId);
  let batches = 0;
  const budgetLeft = () => opts.maxBatches === undefined || batches < opts.maxBatches;

  // A value can fall back under an old key after the pass went by (a process still running with
  // the old key as its current one, or a sign-in copying a refresh token it had read before):
  // passes repeat while they make progress, then whatever remains is reported.
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let progressed = 0;
    for (const col of ENCRYPTED_COLUMNS) {
      const done = await rekeyColumn(db, keyring, col, batchSize, opts, say, result, () => {
        if (!budgetLeft()) return false;
        batches++;
        return true;
      });
      progressed += done;
      if (!budgetLeft()) break;
    }
    if (!budgetLeft()) {
      result.complete = false;
      break;
    }
    if ((await oldValueCount(db, keyring, ENCRYPTED_COLUMNS)) === 0 || progressed === 0) break;
  }

  const left = await oldValueCount(db, keyring, ENCRYPTED_COLUMNS);
  if (result.complete && left === 0) {
    await moveCanary(db, keyring, say);
    await recordKeysInUse(db, keyring, listedAtStart, say);
  }
  result.remaining = await oldValueCount(db, keyring, [...ENCRYPTED_COLUMNS, CANARY_COLUMN]);
  return result;
}

async function oldValueCount(db: Db, keyring: Keyring, cols: readonly EncryptedColumn[]): Promise<number> {
  const wanted = new Set(cols.map((c) => `${c.table}.${c.column}`));
  return (await countValuesByKey(db))
    .filter((c) => wanted.has(`${c.table}.${c.column}`) && c.keyId !== keyring.currentKeyId)
    .reduce((n, c) => n + c.count, 0);
}

/** One column, batch by batch in primary-key order; returns how many values it re-encrypted. */
async function rekeyColumn(
  db: Db,
  keyring: Keyring,
  col: EncryptedColumn,
  batchSize: number,
  opts: RekeyOptions,
  say: (line: string) => void,
  result: RekeyResult,
  takeBatch: () => boolean,
): Promise<number> {
  const name = `${col.table}.${col.column}`;
  const selected = [...new Set([...col.primaryKey, ...col.aadColumns, col.column])];
  let after: string[] | undefined;
  let rekeyed = 0;
  for (;;) {
    const rows = await readBatch(db, keyring, col, selected, batchSize, after);
    if (rows.length === 0) break;
    if (!takeBatch()) break;
    for (const row of rows) {
      const old = row[col.column]!;
      let plaintext: string;
      try {
        plaintext = keyring.decrypt(old, col.aad(row));
      } catch (err) {
        if (!(err instanceof DecryptionError)) throw err;
        result.unreadable++;
        say(`${name}: a value (${describeRow(col, row)}) does not decrypt (${err.message}); left as it is.`);
        continue;
      }
      const fresh = keyring.encrypt(plaintext, col.aad(row));
      await opts.beforeWrite?.(col, row);
      if (await compareAndSwap(db, col, row, old, fresh)) {
        rekeyed++;
        result.rekeyed++;
      } else result.changedMeanwhile++;
    }
    after = col.primaryKey.map((k) => rows[rows.length - 1]![k]!);
    say(`${name}: ${rekeyed} value${rekeyed === 1 ? "" : "s"} re-encrypted so far.`);
    if (rows.length < batchSize) break;
  }
  return rekeyed;
}

function describeRow(col: EncryptedColumn, row: Record<string, string>): string {
  return col.primaryKey.map((k) => `${k} ${row[k]}`).join(", ");
}

/** The next values not under the current key, after `after` in primary-key order. */
async function readBatch(
  db: Db,
  keyring: Keyring,
  col: EncryptedColumn,
  selected: string[],
  batchSize: number,
  after: string[] | undefined,
): Promise<Record<string, string>[]> {
  const pk = sql.join(col.primaryKey.map((k) => sql.ref(k)));
  // Row-value comparison (a, b) > (x, y): the keyset over a composite key, on SQLite and PostgreSQL.
  const resume = after ? sql`and (${pk}) > (${sql.join(after)})` : sql``;
  const result = await sql<Record<string, string>>`
    select ${sql.join(selected.map((c) => sql.ref(c)))}
    from ${sql.table(col.table)}
    where ${sql.ref(col.column)} is not null
      and ${keyIdExpression(col)} <> ${keyring.currentKeyId}
      ${onlyClause(col)} ${resume}
    order by ${pk}
    limit ${batchSize}`.execute(db.kysely);
  return result.rows;
}

/** Writes the re-encryption only if the column still holds the ciphertext that was read. */
async function compareAndSwap(
  db: Db,
  col: EncryptedColumn,
  row: Record<string, string>,
  old: string,
  fresh: string,
): Promise<boolean> {
  const identity = col.primaryKey.map((k) => sql`and ${sql.ref(k)} = ${row[k]!}`);
  const result = await sql`
    update ${sql.table(col.table)} set ${sql.ref(col.column)} = ${fresh}
    where ${sql.ref(col.column)} = ${old} ${sql.join(identity, sql` `)}`.execute(db.kysely);
  return result.numAffectedRows === 1n;
}

async function moveCanary(db: Db, keyring: Keyring, say: (line: string) => void): Promise<void> {
  const col = CANARY_COLUMN;
  const rows = await readBatch(db, keyring, col, [...col.primaryKey, col.column], 1, undefined);
  const row = rows[0];
  if (!row) return;
  const fresh = keyring.encrypt(keyring.decrypt(row[col.column]!, col.aad(row)), col.aad(row));
  if (await compareAndSwap(db, col, row, row[col.column]!, fresh)) {
    say(`Encryption canary moved to key ${keyring.currentKeyId}.`);
  }
}

/**
 * Shrinks the list of key ids in use to what a scan finds now (and the current key), so a start
 * without the old keys is allowed. A key listed by a process that started during this run stays.
 */
async function recordKeysInUse(
  db: Db,
  keyring: Keyring,
  listedAtStart: Set<string>,
  say: (line: string) => void,
): Promise<void> {
  const found = [...totalsByKey(await countValuesByKey(db)).keys()];
  for (;;) {
    const now = await readKeyIdsInUse(db);
    const startedMeanwhile = (now?.ids ?? []).filter((id) => !listedAtStart.has(id));
    const ids = new Set([keyring.currentKeyId, ...found, ...startedMeanwhile]);
    if (await writeKeyIdsInUse(db, now?.raw, ids)) {
      say(`Keys in use: ${[...ids].join(", ")}.`);
      return;
    }
  }
}
