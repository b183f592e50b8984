/**
 * "Domain code owns its SQL; routes do not" (DESIGN.md). dependency-cruiser holds the import
 * side of that rule (no `kysely` import under http/); this holds the other side, which no import
 * shows: a route reaching the query builder through `svc.db`. Routes call domain functions and
 * pass them `svc`; only the readiness probe and the server's shutdown touch `svc.db` itself.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const HTTP = import.meta.dirname;
const ALLOWED = new Set(["health.ts", "server.ts"]);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Lines of a source that reach the database handle or the query builder directly. */
function sqlLines(text: string): string[] {
  return text
    .split("\n")
    .filter((line) => /\bsvc\.db\b|\.kysely\b|\b(selectFrom|insertInto|updateTable|deleteFrom)\(/.test(line));
}

describe("routes run no SQL", () => {
  it("no file under http/ reaches svc.db or the query builder", () => {
    const offenders = sources(HTTP)
      .filter((path) => !ALLOWED.has(relative(HTTP, path)))
      .flatMap((path) =>
        sqlLines(readFileSync(path, "utf8")).map((line) => `${relative(HTTP, path)}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });

  it("recognises a planted query, so the check cannot pass vacuously", () => {
    expect(sqlLines('  const rows = await svc.db.kysely.selectFrom("users").execute();')).toHaveLength(1);
    expect(sqlLines('  return trx.deleteFrom("sessions")')).toHaveLength(1);
    expect(sqlLines("  const user = await findUser(svc, id);")).toHaveLength(0);
  });
});
