import { type RawBuilder, sql } from "kysely";
import type { Db } from "./database.js";
import {
  CANARY_COLUMN,
  ENCRYPTED_COLUMNS,
  type EncryptedColumn,
  KEY_ID_LENGTH,
  KEY_ID_START,
} from "./encrypted-columns.js";

/** How many values of one encrypted column are encrypted under one key id. */
export interface ColumnKeyCount {
  table: string;
  column: string;
  keyId: string;
  count: number;
}

/** `AND <col> = <value>` for each fixed column of an entry (the canary's row of foyer_meta). */
export function onlyClause(col: EncryptedColumn): RawBuilder<unknown> {
  const parts = Object.entries(col.only ?? {}).map(([name, value]) => sql`and ${sql.ref(name)} = ${value}`);
  return sql.join(parts, sql` `);
}

export function keyIdExpression(col: EncryptedColumn): RawBuilder<string> {
  return sql<string>`substr(${sql.ref(col.column)}, ${sql.lit(KEY_ID_START)}, ${sql.lit(KEY_ID_LENGTH)})`;
}

/**
 * Every stored ciphertext counted by the key id it names, column by column (the canary
 * included). One grouped scan per encrypted column, reading only the key-id prefix of each value.
 */
export async function countValuesByKey(db: Db): Promise<ColumnKeyCount[]> {
  const counts: ColumnKeyCount[] = [];
  for (const col of [...ENCRYPTED_COLUMNS, CANARY_COLUMN]) {
    // `group by 1`: PostgreSQL would not see two parameterised substr() calls as the same expression.
    const result = await sql<{ key_id: string; n: number | string }>`
      select ${keyIdExpression(col)} as key_id, count(*) as n
      from ${sql.table(col.table)}
      where ${sql.ref(col.column)} is not null ${onlyClause(col)}
      group by 1`.execute(db.kysely);
    for (const row of result.rows) {
      counts.push({ table: col.table, column: col.column, keyId: row.key_id, count: Number(row.n) });
    }
  }
  return counts;
}

/** Totals per key id. */
export function totalsByKey(counts: readonly ColumnKeyCount[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const c of counts) totals.set(c.keyId, (totals.get(c.keyId) ?? 0) + c.count);
  return totals;
}

/**
 * The key ids stored values may be encrypted under, kept in foyer_meta so a start-up checks its
 * keys in one read instead of a scan of every encrypted value. Grows when a process starts with
 * a current key not yet listed (before it writes anything); shrinks only when `foyer rekey` has
 * found, by a scan, that no value needs a key any more.
 */
export const KEY_IDS_IN_USE = "encryption_key_ids_in_use";

/** The recorded list and its stored text (for compare-and-swap), or undefined before the first record. */
export async function readKeyIdsInUse(db: Db): Promise<{ ids: string[]; raw: string } | undefined> {
  const row = await db.kysely
    .selectFrom("foyer_meta")
    .select("value")
    .where("key", "=", KEY_IDS_IN_USE)
    .executeTakeFirst();
  return row ? { ids: JSON.parse(row.value) as string[], raw: row.value } : undefined;
}

/**
 * Sets the list by compare-and-swap on the text read before (`expected`; undefined: no row yet),
 * so two processes starting at once never drop each other's key. Returns false when it lost.
 */
export async function writeKeyIdsInUse(
  db: Db,
  expected: string | undefined,
  ids: Iterable<string>,
): Promise<boolean> {
  const value = JSON.stringify([...new Set(ids)].sort());
  if (expected === undefined) {
    const result = await db.kysely
      .insertInto("foyer_meta")
      .values({ key: KEY_IDS_IN_USE, value })
      .onConflict((oc) => oc.column("key").doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  }
  const result = await db.kysely
    .updateTable("foyer_meta")
    .set({ value })
    .where("key", "=", KEY_IDS_IN_USE)
    .where("value", "=", expected)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Adds a key id to the list (before anything is written under it); creates the list if needed. */
export async function listKeyId(db: Db, keyId: string): Promise<void> {
  for (;;) {
    const recorded = await readKeyIdsInUse(db);
    if (recorded?.ids.includes(keyId)) return;
    if (await writeKeyIdsInUse(db, recorded?.raw, [...(recorded?.ids ?? []), keyId])) return;
  }
}
