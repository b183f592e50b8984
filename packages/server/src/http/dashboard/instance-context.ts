import type { ApplicationTable } from "../../db/schema.js";
import { getApplication } from "../../instances/applications.js";
import { getInstance, type Instance, listInstances } from "../../instances/instances.js";
import type { Services } from "../../services.js";
import { DASHBOARD_PATH } from "./url.js";

/** What every instance page shows in its header: the instance, its application and its sibling. */
export interface InstanceContext {
  instance: Instance;
  application: ApplicationTable;
  instances: Instance[];
}

export async function loadInstanceContext(svc: Services, instanceId: string): Promise<InstanceContext> {
  const instance = await getInstance(svc, instanceId);
  const application = await getApplication(svc, instance.application_id);
  return { instance, application, instances: await listInstances(svc, application.id) };
}

export type InstanceTab = "api-keys" | "sso" | "users" | "organizations" | "settings" | "webhooks" | "oauth";

export function instancePath(instanceId: string, tab: InstanceTab | string = "api-keys"): string {
  return `${DASHBOARD_PATH}/instances/${encodeURIComponent(instanceId)}/${tab}`;
}

export function applicationPath(applicationId: string, rest = ""): string {
  return `${DASHBOARD_PATH}/applications/${encodeURIComponent(applicationId)}${rest}`;
}
