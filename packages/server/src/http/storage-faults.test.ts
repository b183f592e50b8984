/**
 * SQLite under real storage faults: a full disk (a tiny tmpfs filled up) and a database file that
 * stops taking writes (the immutable attribute). /readyz answers 503 with a code and says which
 * fault while it lasts, writes get coded 503s, and both recover without a restart. A data folder
 * Foyer cannot write stops start-up with its path in the message.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import {
  mountTinyDisk,
  setImmutable,
  storageFaultsUnavailable,
  type TinyDisk,
} from "@foyer/testkit/storage-faults";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const unavailable = storageFaultsUnavailable();
if (unavailable) console.warn(`SKIPPED: SQLite storage-fault tests ${unavailable}`);

async function expectFault(foyer: TestFoyer, fault: "full" | "read_only") {
  const ready = await foyer.request("/readyz");
  expect(ready.status).toBe(503);
  expect(ready.headers.get("retry-after")).toBe("2");
  const body = await ready.json();
  expect(body.database).toBe(fault);
  expect(body.errors[0].code).toBe("database_unavailable");
  const write = await foyer.platform("/applications", { method: "POST", json: { name: "During the fault" } });
  expect(write.status).toBe(503);
  expect((await write.json()).errors[0].code).toBe("database_unavailable");
}

async function expectServing(foyer: TestFoyer) {
  expect((await foyer.request("/readyz")).status).toBe(200);
  const write = await foyer.platform("/applications", { method: "POST", json: { name: "After the fault" } });
  expect(write.status).toBe(201);
}

describe.skipIf(unavailable)("SQLite storage faults (real ones: root mounts and chattr)", () => {
  let disk: TinyDisk;
  let foyer: TestFoyer;

  beforeAll(async () => {
    // Room for the schema and some traffic, little enough to fill in a moment.
    disk = mountTinyDisk(4 * 1024 * 1024);
    const url = join(disk.dir, "foyer.db");
    foyer = await createTestFoyer("sqlite", {
      database: { kind: "sqlite", url, schema: undefined, drop: async () => {} },
      env: { FOYER_DATABASE_TIMEOUT_MS: "500" },
    });
  });
  afterAll(async () => {
    await foyer?.close();
    disk?.unmount();
  });

  it("a full disk: /readyz 503 database=full, writes 503, then service back once there is room", async () => {
    await expectServing(foyer);
    disk.fill();
    try {
      await expectFault(foyer, "full");
    } finally {
      disk.free();
    }
    await expectServing(foyer);
  });

  it("a database file that stops taking writes: /readyz 503 database=read_only, then back", async () => {
    // On the ordinary temporary folder: tmpfs ignores the immutable attribute.
    const onDisk = await createTestFoyer("sqlite", { env: { FOYER_DATABASE_TIMEOUT_MS: "500" } });
    try {
      await readOnlyFile(onDisk);
    } finally {
      await onDisk.close();
    }
  });

  async function readOnlyFile(foyer: TestFoyer) {
    await expectServing(foyer);
    const url = foyer.database.url;
    // Not the -shm file: SQLite maps it into memory, and an immutable mapping kills the process.
    const files = [url, `${url}-wal`];
    setImmutable(files, true);
    try {
      await expectFault(foyer, "read_only");
    } finally {
      setImmutable(files, false);
    }
    await expectServing(foyer);
  }

  it("refuses to start on a data folder it cannot write, naming the folder", async () => {
    const dir = mkdtempSync(join(tmpdir(), "foyer-unwritable-"));
    setImmutable([dir], true);
    try {
      await expect(
        createTestFoyer("sqlite", {
          database: { kind: "sqlite", url: join(dir, "foyer.db"), schema: undefined, drop: async () => {} },
        }),
      ).rejects.toThrow(
        `Foyer cannot use the SQLite database ${join(dir, "foyer.db")}: its directory ${dir} is not writable`,
      );
    } finally {
      setImmutable([dir], false);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
