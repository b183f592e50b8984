/**
 * Reading instances: the row as domain code sees it and the look-ups. Kept apart from the
 * writes in instances.ts so that the cache and the key modules can read instances without an
 * import circle (instances.ts writes through the key modules; the cache reads through here).
 */
import type { InstanceTable } from "../db/schema.js";
import { ApiError } from "../errors/api-error.js";
import type { Services } from "../services.js";
import { allowedRedirect } from "./origins.js";

export type Environment = "development" | "production";

/** An instance as domain code sees it (its JSON lists parsed). */
export interface Instance
  extends Omit<InstanceTable, "allowed_origins" | "allowed_atlassian_sites" | "oauth_resources"> {
  allowed_origins: string[];
  /** Resources (RFC 8707) the instance's authorization server issues access tokens for. */
  oauth_resources: OAuthResource[];
  /** Normalised cloud ids and site origins (allowed-atlassian-sites.ts); empty: every site. */
  allowed_atlassian_sites: string[];
}

/** A protected resource the operator registered: its URL (the token's `aud`), a name, its scopes. */
export interface OAuthResource {
  resource: string;
  name: string;
  scopes: string[];
}

export function toInstance(row: InstanceTable): Instance {
  return {
    ...row,
    oauth_resources: JSON.parse(row.oauth_resources ?? "[]") as OAuthResource[],
    allowed_origins: JSON.parse(row.allowed_origins) as string[],
    allowed_atlassian_sites: JSON.parse(row.allowed_atlassian_sites) as string[],
  };
}

export function defaultFrontendApiUrl(svc: Services, instanceId: string): string {
  return `${svc.config.publicUrl}/fapi/${instanceId}`;
}

/** Origins that may receive post-sign-in redirects: the configured ones and Foyer's own pages. */
export function redirectOrigins(instance: Instance): string[] {
  return [...instance.allowed_origins, new URL(instance.frontend_api_url).origin];
}

/**
 * A development instance trusts any plain-http loopback origin (`http://localhost:*`,
 * `http://127.0.0.1:*`), as Clerk's development instances do: a dev server's port changes and
 * nobody should have to register each one. Production instances trust their exact list only.
 */
function devLoopbackOrigin(instance: Instance, origin: string): boolean {
  if (instance.environment !== "development") return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return (
    url.protocol === "http:" &&
    (url.hostname === "localhost" || url.hostname === "127.0.0.1") &&
    url.origin === origin
  );
}

/** Whether a page on `origin` may call this instance's Frontend API with credentials. */
export function originAllowed(instance: Instance, origin: string): boolean {
  return instance.allowed_origins.includes(origin) || devLoopbackOrigin(instance, origin);
}

/** `value` as a URL Foyer may redirect to after sign-in for this instance, or undefined. */
export function allowedRedirectFor(instance: Instance, value: string): string | undefined {
  const exact = allowedRedirect(value, redirectOrigins(instance));
  if (exact) return exact;
  let origin: string;
  try {
    origin = new URL(value).origin;
  } catch {
    return undefined;
  }
  return devLoopbackOrigin(instance, origin) ? allowedRedirect(value, [origin]) : undefined;
}

export async function findInstance(svc: Services, id: string): Promise<Instance | undefined> {
  const row = await svc.db.kysely.selectFrom("instances").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toInstance(row) : undefined;
}

export async function getInstance(svc: Services, id: string): Promise<Instance> {
  const instance = await findInstance(svc, id);
  if (!instance) throw new ApiError("resource_not_found", { meta: { instance_id: id } });
  return instance;
}

export async function listInstances(svc: Services, applicationId: string): Promise<Instance[]> {
  const rows = await svc.db.kysely
    .selectFrom("instances")
    .selectAll()
    .where("application_id", "=", applicationId)
    .orderBy("created_at", "asc")
    .execute();
  return rows.map(toInstance);
}

/** Production instances that serve their Frontend API on a host of their own: host → instance id. */
export async function instancesByFrontendApiHost(svc: Services): Promise<Map<string, string>> {
  const rows = await svc.db.kysely
    .selectFrom("instances")
    .select(["id", "frontend_api_host"])
    .where("frontend_api_host", "is not", null)
    .execute();
  return new Map(rows.map((r) => [r.frontend_api_host!, r.id]));
}
