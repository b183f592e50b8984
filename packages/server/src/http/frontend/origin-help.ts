import type { Instance } from "../../instances/instances.js";
import type { Services } from "../../services.js";
import { DASHBOARD_PATH } from "../dashboard/url.js";

/**
 * Where an operator adds an origin to an instance, in words: the page's origin, the instance,
 * the dashboard page and the Platform API call. What a developer reads in the browser console
 * instead of a bare "Failed to fetch".
 */
export function originNotAllowedMessage(svc: Services, instance: Instance, origin: string): string {
  const settings = `${svc.config.publicUrl.replace(/\/+$/, "")}${DASHBOARD_PATH}/instances/${encodeURIComponent(instance.id)}/settings`;
  return (
    `The origin ${origin} is not an allowed origin of Foyer instance ${instance.id} (${instance.environment}). ` +
    `Add it under "Allowed origins" at ${settings}, or with PATCH /platform/v1/instances/${instance.id} ` +
    `{"allowed_origins": [..., "${origin}"]}.`
  );
}
