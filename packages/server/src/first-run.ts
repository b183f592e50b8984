import { randomToken } from "./crypto/random.js";
import { createApplication, listApplications } from "./instances/applications.js";
import { instanceJson, listInstances } from "./instances/instances.js";
import { listSecretKeys } from "./instances/secret-keys.js";
import type { Services } from "./services.js";

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
    const apps = await listApplications(svc);
    if (apps.length > 0) return describe(svc, apps[0]!);
    if (svc.config.production) return undefined;
    if (await claim(svc)) {
      await createApplication(svc, "My App");
      await svc.db.kysely
        .updateTable("foyer_meta")
        .set({ value: "done" })
        .where("key", "=", CLAIM_KEY)
        .execute();
      continue;
    }
    // Another process is creating it, or created it and it was deleted since ("done"): then
    // this install simply has no application, as the operator wanted.
    const row = await claimRow(svc);
    if (row?.value === "done") return undefined;
    if (Date.now() > deadline)
      throw new Error("Another Foyer process claimed first-run set-up and did not finish it.");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function claimRow(svc: Services) {
  return svc.db.kysely
    .selectFrom("foyer_meta")
    .select("value")
    .where("key", "=", CLAIM_KEY)
    .executeTakeFirst();
}

/** Inserts the claim, or takes over a stale one; true when this process is the one to create. */
async function claim(svc: Services): Promise<boolean> {
  const value = `pending:${svc.now()}:${randomToken(6)}`;
  const inserted = await svc.db.kysely
    .insertInto("foyer_meta")
    .values({ key: CLAIM_KEY, value })
    .onConflict((oc) => oc.column("key").doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return true;
  const row = await claimRow(svc);
  const at = Number(/^pending:(\d+):/.exec(row?.value ?? "")?.[1]);
  if (!row || !Number.isFinite(at) || svc.now() - at < CLAIM_STALE_MS) return false;
  const taken = await svc.db.kysely
    .updateTable("foyer_meta")
    .set({ value })
    .where("key", "=", CLAIM_KEY)
    .where("value", "=", row.value)
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
