/**
 * Migration 013 on a database that already holds keys and a connection: `secret_keys` is rebuilt
 * (key_enc nullable, prefix and last four added) with every row kept, and the settings get
 * version 1. Then down and up again.
 */
import { createTestDatabase, DB_KINDS } from "@foyer/testkit/databases";
import { Migrator } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { type Db, openDatabase } from "../database.js";
import { migrateToLatest } from "../migrate.js";
import { MIGRATIONS } from "./index.js";

describe.each(DB_KINDS)("migration 013 (%s)", (kind) => {
  const opened: Array<{ db: Db; drop: () => Promise<void> }> = [];
  afterAll(async () => {
    for (const { db, drop } of opened) {
      await db.close();
      await drop();
    }
  });

  it("keeps existing secret keys and connections, and can be undone", async () => {
    const test = await createTestDatabase(kind);
    const db = openDatabase(test.url, { schema: test.schema });
    opened.push({ db, drop: test.drop });
    const migrator = new Migrator({
      db: db.kysely,
      provider: { getMigrations: async () => MIGRATIONS },
      ...(test.schema ? { migrationTableSchema: test.schema } : {}),
    });
    expect((await migrator.migrateTo("010_security_events")).error).toBeUndefined();

    // biome-ignore lint/suspicious/noExplicitAny: the rows are written as the schema before 013 had them.
    const old = db.kysely as any;
    await old
      .insertInto("applications")
      .values({ id: "app_1", name: "Old", created_at: 1, updated_at: 1 })
      .execute();
    await old
      .insertInto("instances")
      .values({
        id: "ins_1",
        application_id: "app_1",
        environment: "production",
        frontend_api_url: "https://clerk.old.example",
        frontend_api_host: "clerk.old.example",
        allowed_origins: "[]",
        after_sign_in_url: null,
        session_max_lifetime_seconds: 3600,
        session_inactivity_timeout_seconds: null,
        created_at: 1,
        updated_at: 1,
      })
      .execute();
    await old
      .insertInto("secret_keys")
      .values({ id: "sk_1", instance_id: "ins_1", key_hash: "hash-1", key_enc: "enc-1", created_at: 5 })
      .execute();
    await old
      .insertInto("social_connections")
      .values({
        instance_id: "ins_1",
        provider: "oauth_atlassian",
        enabled: 1,
        authenticatable: 1,
        use_custom_credentials: 1,
        client_id: "client",
        client_secret_enc: "secret-enc",
        scopes: "read:me",
        updated_at: 1,
      })
      .execute();

    expect(await migrateToLatest(db)).toContain("013_operator_visibility");
    const keys = await db.kysely.selectFrom("secret_keys").selectAll().execute();
    expect(keys.map((k) => ({ ...k, created_at: Number(k.created_at) }))).toEqual([
      {
        id: "sk_1",
        instance_id: "ins_1",
        key_hash: "hash-1",
        key_enc: "enc-1",
        key_prefix: null,
        last4: null,
        created_at: 5,
      },
    ]);
    const connection = await db.kysely.selectFrom("social_connections").selectAll().executeTakeFirstOrThrow();
    expect(connection).toMatchObject({ version: 1, client_id: "client", last_error_code: null });
    expect(
      (await db.kysely.selectFrom("instances").select("version").executeTakeFirstOrThrow()).version,
    ).toBe(1);
    // The rebuilt table still refuses a second row with the same hash, and cascades with its instance.
    await expect(
      db.kysely
        .insertInto("secret_keys")
        .values({
          id: "sk_2",
          instance_id: "ins_1",
          key_hash: "hash-1",
          key_enc: null,
          key_prefix: "p",
          last4: "l",
          created_at: 6,
        })
        .execute(),
    ).rejects.toThrow();
    await db.kysely
      .insertInto("secret_keys")
      .values({
        id: "sk_3",
        instance_id: "ins_1",
        key_hash: "hash-3",
        key_enc: null,
        key_prefix: "p",
        last4: "l",
        created_at: 6,
      })
      .execute();

    // Down drops the keys that have no stored copy (the old code could not read them), then up again.
    expect((await migrator.migrateTo("010_security_events")).error).toBeUndefined();
    expect(
      (await old.selectFrom("secret_keys").select("id").execute()).map((r: { id: string }) => r.id),
    ).toEqual(["sk_1"]);
    expect(await migrateToLatest(db)).toContain("013_operator_visibility");
    await db.kysely.deleteFrom("instances").execute();
    expect(await db.kysely.selectFrom("secret_keys").select("id").execute()).toEqual([]);
  });
});
