import { randomToken } from "../crypto/random.js";
import type { Services } from "../services.js";
import { createApplication, listApplications } from "./applications.js";
import { instanceJson, listInstances } from "./instances.js";
import { listSecretKeys } from "./secret-keys.js";

export interface DefaultInstance {
  applicationName: string;
  instance: ReturnType<typeof instanceJson>;
  secretKey: string;
}

const CLAIM_KEY = "first_run";
/** A claim older than this belongs to a process that died while creating: another takes over. */
const CLAIM_STALE_MS = 30_000;
const WAIT_MS = 20_000;

/**
 * On a fresh development install, creates "My App" with a development instance so there is
 * something to sign in to; on later runs, finds the same one. Production never gets one.
 * Several processes starting at once on an empty database create it once: the first to claim
 * the `first_run` row creates, the others wait for its application.
 */
export async function ensureDefaultInstance(svc: Services): Promise<DefaultInstance | undefined> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const row = await claimRow(svc);
    // While another process is creating, its application may exist without its instance yet.
    const creating = row !== undefined && row.value !== "done" && !isStale(svc, row.value);
    if (!creating) {
      const apps = await listApplications(svc);
      if (apps.length > 0) return describe(svc, apps[0]!);
      // Created once and deleted since: the operator wants none.
      if (row?.value === "done" || svc.config.production) return undefined;
      if (await claim(svc, row?.value)) {
        await createApplication(svc, "My App");
        await svc.db.kysely
          .updateTable("foyer_meta")
          .set({ value: "done" })
          .where("key", "=", CLAIM_KEY)
          .execute();
        continue;
      }
    }
    if (Date.now() > deadline)
      throw new Error("Another Foyer process claimed first-run set-up and did not finish it.");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function isStale(svc: Services, value: string): boolean {
  const at = Number(/^pending:(\d+):/.exec(value)?.[1]);
  return Number.isFinite(at) && svc.now() - at >= CLAIM_STALE_MS;
}

async function claimRow(svc: Services) {
  return svc.db.kysely
    .selectFrom("foyer_meta")
    .select("value")
    .where("key", "=", CLAIM_KEY)
    .executeTakeFirst();
}

/** Inserts the claim, or takes over a stale one; true when this process is the one to create. */
async function claim(svc: Services, stale: string | undefined): Promise<boolean> {
  const value = `pending:${svc.now()}:${randomToken(6)}`;
  if (stale === undefined) {
    const inserted = await svc.db.kysely
      .insertInto("foyer_meta")
      .values({ key: CLAIM_KEY, value })
      .onConflict((oc) => oc.column("key").doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
  }
  const taken = await svc.db.kysely
    .updateTable("foyer_meta")
    .set({ value })
    .where("key", "=", CLAIM_KEY)
    .where("value", "=", stale)
    .executeTakeFirst();
  return taken.numUpdatedRows === 1n;
}

async function describe(
  svc: Services,
  app: Awaited<ReturnType<typeof listApplications>>[number],
): Promise<DefaultInstance | undefined> {
  const dev = (await listInstances(svc, app.id)).find((i) => i.environment === "development");
  if (!dev) return undefined;
  const [key] = await listSecretKeys(svc, dev.id);
  return { applicationName: app.name, instance: instanceJson(dev), secretKey: key?.key ?? "" };
}
