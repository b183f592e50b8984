import { newId } from "../crypto/random.js";
import { changeTransaction } from "../db/change-feed.js";
import type { ApplicationTable } from "../db/schema.js";
import { ApiError } from "../errors/api-error.js";
import type { Services } from "../services.js";
import { createInstance, type Instance, instanceJson, listInstances } from "./instances.js";
import type { SecretKey } from "./secret-keys.js";

/** An application groups a development and (later) a production instance. */
export async function createApplication(
  svc: Services,
  name: string,
): Promise<{ application: ApplicationTable; instance: Instance; secretKey: SecretKey }> {
  const now = svc.now();
  const application: ApplicationTable = { id: newId("app"), name, created_at: now, updated_at: now };
  await svc.db.kysely.insertInto("applications").values(application).execute();
  try {
    const { instance, secretKey } = await createInstance(svc, application.id, "development");
    return { application, instance, secretKey };
  } catch (err) {
    // Never leave an application without its development instance behind.
    await svc.db.kysely.deleteFrom("applications").where("id", "=", application.id).execute();
    throw err;
  }
}

export async function getApplication(svc: Services, id: string): Promise<ApplicationTable> {
  const row = await svc.db.kysely
    .selectFrom("applications")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) throw new ApiError("resource_not_found", { meta: { application_id: id } });
  return row;
}

export async function listApplications(svc: Services): Promise<ApplicationTable[]> {
  return svc.db.kysely.selectFrom("applications").selectAll().orderBy("created_at", "asc").execute();
}

export async function renameApplication(svc: Services, id: string, name: string): Promise<ApplicationTable> {
  const res = await svc.db.kysely
    .updateTable("applications")
    .set({ name, updated_at: svc.now() })
    .where("id", "=", id)
    .executeTakeFirst();
  if (res.numUpdatedRows === 0n) throw new ApiError("resource_not_found", { meta: { application_id: id } });
  return getApplication(svc, id);
}

/**
 * Deletes the application and, by cascade, its instances and everything they own. Every process
 * forgets the instances when this commits (one still serving a deleted instance from its cache
 * answered 500s, foreign-key violations, for the cache's TTL).
 */
export async function deleteApplication(svc: Services, id: string): Promise<void> {
  const res = await changeTransaction(svc.db, [{ kind: "instances", instanceId: null }], (trx) =>
    trx.deleteFrom("applications").where("id", "=", id).executeTakeFirst(),
  );
  if (res.numDeletedRows === 0n) throw new ApiError("resource_not_found", { meta: { application_id: id } });
}

export async function applicationJson(svc: Services, app: ApplicationTable) {
  const instances = await listInstances(svc, app.id);
  return {
    object: "application" as const,
    id: app.id,
    name: app.name,
    instances: instances.map(instanceJson),
    created_at: app.created_at,
    updated_at: app.updated_at,
  };
}

/** The name an instance's hosted pages show ("Sign in to …"). */
export async function applicationName(svc: Services, instance: Instance): Promise<string> {
  const app = await svc.db.kysely
    .selectFrom("applications")
    .select("name")
    .where("id", "=", instance.application_id)
    .executeTakeFirst();
  return app?.name ?? "the app";
}
