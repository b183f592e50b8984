/**
 * Every `_enc` column of the schema is in the registry of encrypted columns, so `foyer rekey`
 * re-encrypts it and the start-up key check counts it. A column missing there would keep values
 * under an old key that then fail once the key is dropped.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ENCRYPTED_COLUMNS } from "./encrypted-columns.js";

const SCHEMA = readFileSync(new URL("./schema.ts", import.meta.url), "utf8");

/** table → columns ending in _enc, read from schema.ts's row interfaces and its Database map. */
function encryptedColumnsInSchema(): string[] {
  const tableOf = new Map<string, string>();
  const database = /export interface Database \{([^}]*)\}/.exec(SCHEMA)?.[1] ?? "";
  for (const [, table, type] of database.matchAll(/(\w+):\s*(\w+);/g)) tableOf.set(type!, table!);
  const found: string[] = [];
  for (const [, name, body] of SCHEMA.matchAll(/export interface (\w+) \{([^}]*)\}/g)) {
    for (const [, column] of body!.matchAll(/^\s*(\w+_enc)\??:/gm)) {
      const table = tableOf.get(name!);
      if (!table) throw new Error(`${name}.${column} is in no table of the Database interface`);
      found.push(`${table}.${column}`);
    }
  }
  return found.sort();
}

describe("the registry of encrypted columns", () => {
  it("lists every _enc column of the schema", () => {
    const registered = ENCRYPTED_COLUMNS.map((c) => `${c.table}.${c.column}`).sort();
    const inSchema = encryptedColumnsInSchema();
    expect(inSchema.length).toBeGreaterThanOrEqual(6);
    expect(inSchema.filter((c) => !registered.includes(c))).toEqual([]);
    expect(registered.filter((c) => !inSchema.includes(c))).toEqual([]);
  });

  it("lists every _enc column a migration adds (schema.ts and the migrations agree)", () => {
    const dir = new URL("./migrations/", import.meta.url);
    const added = new Set<string>();
    for (const file of readdirSync(dir).filter((f) => /^\d{3}_.*\.ts$/.test(f))) {
      for (const [, column] of readFileSync(new URL(file, dir), "utf8").matchAll(/addColumn\("(\w+_enc)"/g)) {
        added.add(column!);
      }
    }
    const registered = new Set(ENCRYPTED_COLUMNS.map((c) => c.column));
    expect(added.size).toBeGreaterThanOrEqual(6);
    expect([...added].filter((c) => !registered.has(c))).toEqual([]);
  });

  it("names columns that identify a row, and reads only what it selects", () => {
    for (const col of ENCRYPTED_COLUMNS) {
      const row = Object.fromEntries(col.aadColumns.map((c) => [c, `<${c}>`]));
      expect(col.aad(row), `${col.table}.${col.column}`).not.toMatch(/undefined/);
      for (const k of col.primaryKey) expect(col.aadColumns).toContain(k);
    }
  });
});
