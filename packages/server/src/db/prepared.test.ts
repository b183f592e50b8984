import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { preparedQuery } from "./prepared.js";

describe.each(DB_KINDS)("preparedQuery (%s)", (kind) => {
  let foyer: TestFoyer;
  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
    for (const name of ["Alpha", "Beta", "Gamma"]) {
      await foyer.platform("/applications", { method: "POST", json: { name } });
    }
  });
  afterAll(() => foyer.close());

  it("answers like the query it was built from, with each call's own arguments", async () => {
    const byName = preparedQuery((db, name: string, limit: number) =>
      db.selectFrom("applications").select(["name"]).where("name", "=", name).orderBy("name").limit(limit),
    );
    expect(await byName(foyer.svc.db.kysely, "Beta", 5)).toEqual([{ name: "Beta" }]);
    expect(await byName(foyer.svc.db.kysely, "Gamma", 5)).toEqual([{ name: "Gamma" }]);
    expect(await byName(foyer.svc.db.kysely, "Gamma", 0)).toEqual([]);
    const injection = "Beta' OR '1'='1";
    expect(await byName(foyer.svc.db.kysely, injection, 5)).toEqual([]);
  });

  it("refuses a builder that does not bind every argument", async () => {
    const inlined = preparedQuery((db, _unused: string) => db.selectFrom("applications").select("name"));
    await expect(inlined(foyer.svc.db.kysely, "x")).rejects.toThrow(/bound parameter/);
  });
});
