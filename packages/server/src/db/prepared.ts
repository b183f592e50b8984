import { type Compilable, CompiledQuery, type Kysely } from "kysely";
import type { Database } from "./schema.js";

/**
 * A query of fixed shape, built and compiled by Kysely once per database and then run with new
 * parameters: on the hottest paths (a token fetch, a secret-key check) building and compiling
 * cost more than SQLite answering. The builder is called once with placeholder arguments, so it
 * must not branch on their values; every argument must end up as a bound parameter.
 */
export function preparedQuery<A extends Array<string | number>, R>(
  build: (db: Kysely<Database>, ...args: A) => Compilable<R>,
): (db: Kysely<Database>, ...args: A) => Promise<R[]> {
  const compiled = new WeakMap<
    Kysely<Database>,
    { sql: string; slots: Array<{ arg: number } | { value: unknown }> }
  >();
  return async (db, ...args) => {
    let plan = compiled.get(db);
    if (!plan) {
      const markers = args.map((_, i) => `\u0000foyer-arg-${i}\u0000`);
      const query = build(db, ...(markers as unknown as A)).compile();
      const slots = query.parameters.map((p) => {
        const arg = markers.indexOf(p as string);
        return arg >= 0 ? { arg } : { value: p };
      });
      if (markers.some((_, i) => !slots.some((s) => "arg" in s && s.arg === i))) {
        throw new Error("preparedQuery: every argument must become a bound parameter");
      }
      plan = { sql: query.sql, slots };
      compiled.set(db, plan);
    }
    const parameters = plan.slots.map((s) => ("arg" in s ? args[s.arg] : s.value));
    const result = await db.executeQuery<R>(CompiledQuery.raw(plan.sql, parameters) as CompiledQuery<R>);
    return result.rows;
  };
}
