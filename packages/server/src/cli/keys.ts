import { listApplications } from "../instances/applications.js";
import { instanceJson, listInstances } from "../instances/instances.js";
import { listSecretKeys } from "../instances/secret-keys.js";
import type { Services } from "../services.js";

/**
 * `foyer keys`: every application's instances with their Frontend API URL, publishable key and
 * secret keys (development keys whole, production keys as prefix and last four). For the operator
 * at the machine (it needs the database and the encryption key), e.g. after losing the first
 * start's output.
 */
export async function printKeys(svc: Services, out: (line: string) => void): Promise<void> {
  const apps = await listApplications(svc);
  if (apps.length === 0) out("No applications yet: `foyer start` creates one on a development install.");
  for (const app of apps) {
    out(`${app.name} (${app.id})`);
    for (const instance of await listInstances(svc, app.id)) {
      const json = instanceJson(instance);
      out(`  ${instance.environment} instance ${instance.id}`);
      out(`    Frontend API:     ${json.frontend_api_url}`);
      out(`    Publishable key:  ${json.publishable_key}`);
      for (const key of await listSecretKeys(svc, instance.id)) {
        // Production keys were shown whole once, when created; Foyer keeps no copy to print.
        const shown =
          key.key ?? `${key.keyPrefix}…${key.last4}  (shown once at creation; create a new key if lost)`;
        out(`    Secret key:       ${shown}  (${key.id})`);
      }
    }
  }
}
