import { createApplication, listApplications } from "./instances/applications.js";
import { instanceJson, listInstances } from "./instances/instances.js";
import { listSecretKeys } from "./instances/secret-keys.js";
import type { Services } from "./services.js";

export interface DefaultInstance {
  applicationName: string;
  instance: ReturnType<typeof instanceJson>;
  secretKey: string;
}

/**
 * On a fresh development install, creates "My App" with a development instance so there is
 * something to sign in to; on later runs, finds the same one. Production never gets one.
 */
export async function ensureDefaultInstance(svc: Services): Promise<DefaultInstance | undefined> {
  let apps = await listApplications(svc);
  if (apps.length === 0) {
    if (svc.config.production) return undefined;
    await createApplication(svc, "My App");
    apps = await listApplications(svc);
  }
  const app = apps[0]!;
  const dev = (await listInstances(svc, app.id)).find((i) => i.environment === "development");
  if (!dev) return undefined;
  const [key] = await listSecretKeys(svc, dev.id);
  return { applicationName: app.name, instance: instanceJson(dev), secretKey: key?.key ?? "" };
}
