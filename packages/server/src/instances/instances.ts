import { encodePublishableKey } from "@foyer/contract";
import { sql } from "kysely";
import { newId } from "../crypto/random.js";
import { changeTransaction } from "../db/change-feed.js";
import type { InstanceTable } from "../db/schema.js";
import { ApiError } from "../errors/api-error.js";
import { queueSiteBackfill } from "../organizations/site-backfill-queue.js";
import type { Services } from "../services.js";
import { parseAllowedAtlassianSites } from "./allowed-atlassian-sites.js";
import {
  defaultFrontendApiUrl,
  type Environment,
  findInstance,
  getInstance,
  type Instance,
  type OAuthResource,
  redirectOrigins,
  toInstance,
} from "./instance-row.js";
import { parseOAuthResources } from "./oauth-resources.js";
import { parseAfterSignInUrl, parseAllowedOrigins } from "./origins.js";
import { createdSecretKey, newSecretKeyRow, type SecretKey } from "./secret-keys.js";
import { generateSigningKeyRow } from "./signing-keys.js";

export {
  allowedRedirectFor,
  defaultFrontendApiUrl,
  type Environment,
  findInstance,
  getInstance,
  type Instance,
  listInstances,
  type OAuthResource,
  originAllowed,
  redirectOrigins,
  toInstance,
} from "./instance-row.js";

export const DEFAULT_SESSION_MAX_LIFETIME_SECONDS = 7 * 24 * 60 * 60;
/** Linking a new Atlassian account needs a sign-in within this long (Clerk's 10 minutes). */
export const DEFAULT_REVERIFICATION_MAX_AGE_SECONDS = 600;

/**
 * Creates an instance with its first secret key and signing key, all in one transaction. The
 * answer is the only place a production instance's first key is ever seen whole.
 */
export async function createInstance(
  svc: Services,
  applicationId: string,
  environment: Environment,
  opts: { frontendApiUrl?: string } = {},
): Promise<{ instance: Instance; secretKey: SecretKey }> {
  const id = newId("ins");
  const now = svc.now();
  const frontendApiUrl = opts.frontendApiUrl ?? defaultFrontendApiUrl(svc, id);
  const row: InstanceTable = {
    id,
    application_id: applicationId,
    environment,
    frontend_api_url: frontendApiUrl,
    frontend_api_host: opts.frontendApiUrl ? new URL(opts.frontendApiUrl).host.toLowerCase() : null,
    allowed_origins: "[]",
    after_sign_in_url: null,
    session_max_lifetime_seconds: DEFAULT_SESSION_MAX_LIFETIME_SECONDS,
    session_inactivity_timeout_seconds: null,
    reverification_max_age_seconds: DEFAULT_REVERIFICATION_MAX_AGE_SECONDS,
    version: 1,
    allowed_atlassian_sites: "[]",
    organizations_from_sites: "off",
    oauth_resources: "[]",
    oauth_dynamic_client_registration: 0,
    created_at: now,
    updated_at: now,
  };
  const { row: keyRow, key } = newSecretKeyRow(svc, id, environment);
  const signingRow = generateSigningKeyRow(svc, id);
  // A process that cached "no such instance" (or the map of custom hosts) hears of it at once.
  await changeTransaction(svc.db, [{ kind: "instances", instanceId: id }], async (trx) => {
    const existing = await trx
      .selectFrom("instances")
      .select("id")
      .where("application_id", "=", applicationId)
      .where("environment", "=", environment)
      .executeTakeFirst();
    if (existing) throw new ApiError("instance_environment_exists", { meta: { environment } });
    const taken = await trx
      .selectFrom("instances")
      .select("id")
      .where((eb) =>
        eb.or([
          eb("frontend_api_url", "=", frontendApiUrl),
          ...(row.frontend_api_host ? [eb("frontend_api_host", "=", row.frontend_api_host)] : []),
        ]),
      )
      .executeTakeFirst();
    if (taken) throw new ApiError("frontend_api_url_taken", { meta: { frontend_api_url: frontendApiUrl } });
    await trx.insertInto("instances").values(row).execute();
    await trx.insertInto("secret_keys").values(keyRow).execute();
    await trx.insertInto("signing_keys").values(signingRow).execute();
  });
  return { instance: toInstance(row), secretKey: createdSecretKey(keyRow, key) };
}

export interface InstancePatch {
  allowed_origins?: string[];
  after_sign_in_url?: string | null;
  session_max_lifetime_seconds?: number;
  session_inactivity_timeout_seconds?: number | null;
  reverification_max_age_seconds?: number;
  allowed_atlassian_sites?: string[];
  organizations_from_sites?: "off" | "auto";
  oauth_resources?: OAuthResource[];
  oauth_dynamic_client_registration?: boolean;
}

/**
 * Changes an instance's settings. URL settings are checked here, for every way in (Platform API,
 * dashboard): origins exact (https only in production), the after-sign-in URL without userinfo
 * and, in production, on an allowed origin. Errors are 422s naming the field (`param_name`).
 *
 * The write is a compare-and-swap on `version`: on `opts.ifVersion` when the caller read the
 * settings earlier (If-Match, the dashboard's hidden field), else on the version read here, so
 * a list of origins validated against one state is never stored over another. A mismatch is
 * 412 `resource_version_conflict` and writes nothing.
 */
export async function updateInstance(
  svc: Services,
  id: string,
  patch: InstancePatch,
  opts: { ifVersion?: number } = {},
): Promise<Instance> {
  const current = await getInstance(svc, id);
  const expected = opts.ifVersion ?? current.version;
  if (expected !== current.version) throw versionConflict(id);
  const set: Partial<InstanceTable> = { updated_at: svc.now() };
  const origins = patch.allowed_origins
    ? parseAllowedOrigins(patch.allowed_origins, current.environment)
    : current.allowed_origins;
  if (patch.allowed_origins) set.allowed_origins = JSON.stringify([...new Set(origins)]);
  if (patch.after_sign_in_url) {
    const redirects = redirectOrigins({ ...current, allowed_origins: origins });
    set.after_sign_in_url = parseAfterSignInUrl(patch.after_sign_in_url, current.environment, redirects);
  }
  if (patch.after_sign_in_url === null) set.after_sign_in_url = null;
  if (patch.session_max_lifetime_seconds !== undefined) {
    set.session_max_lifetime_seconds = patch.session_max_lifetime_seconds;
  }
  if (patch.session_inactivity_timeout_seconds !== undefined) {
    set.session_inactivity_timeout_seconds = patch.session_inactivity_timeout_seconds;
  }
  if (patch.reverification_max_age_seconds !== undefined) {
    set.reverification_max_age_seconds = patch.reverification_max_age_seconds;
  }
  if (patch.allowed_atlassian_sites) {
    set.allowed_atlassian_sites = JSON.stringify(parseAllowedAtlassianSites(patch.allowed_atlassian_sites));
  }
  if (patch.organizations_from_sites) set.organizations_from_sites = patch.organizations_from_sites;
  if (patch.oauth_resources) {
    set.oauth_resources = JSON.stringify(parseOAuthResources(patch.oauth_resources, current.environment));
  }
  if (patch.oauth_dynamic_client_registration !== undefined) {
    set.oauth_dynamic_client_registration = patch.oauth_dynamic_client_registration ? 1 : 0;
  }
  // Every process drops its cached copy when this commits (origins, URLs, session timeouts).
  const turnsOn = patch.organizations_from_sites === "auto" && current.organizations_from_sites !== "auto";
  const res = await changeTransaction(svc.db, [{ kind: "instance", instanceId: id }], async (trx) => {
    const updated = await trx
      .updateTable("instances")
      .set({ ...set, version: sql<number>`version + 1` })
      .where("id", "=", id)
      .where("version", "=", expected)
      .executeTakeFirst();
    // Existing users' sites are bound by the backfill job, in batches after this commits.
    if (turnsOn && updated.numUpdatedRows === 1n) await queueSiteBackfill(trx, id, set.updated_at!);
    return updated;
  });
  if (res.numUpdatedRows === 0n) {
    if (await findInstance(svc, id)) throw versionConflict(id);
    throw new ApiError("resource_not_found", { meta: { instance_id: id } });
  }
  return getInstance(svc, id);
}

function versionConflict(instanceId: string): ApiError {
  return new ApiError("resource_version_conflict", { meta: { instance_id: instanceId } });
}

/** The instance as the Platform API shows it. */
export function instanceJson(instance: Instance) {
  return {
    object: "instance" as const,
    id: instance.id,
    application_id: instance.application_id,
    environment: instance.environment,
    frontend_api_url: instance.frontend_api_url,
    publishable_key: encodePublishableKey(instance.environment, instance.frontend_api_url),
    jwks_url: `${instance.frontend_api_url}/.well-known/jwks.json`,
    sign_in_url: `${instance.frontend_api_url}/sign-in`,
    allowed_origins: instance.allowed_origins,
    after_sign_in_url: instance.after_sign_in_url,
    session_max_lifetime_seconds: instance.session_max_lifetime_seconds,
    session_inactivity_timeout_seconds: instance.session_inactivity_timeout_seconds,
    reverification_max_age_seconds: instance.reverification_max_age_seconds,
    allowed_atlassian_sites: instance.allowed_atlassian_sites,
    organizations_from_sites: instance.organizations_from_sites,
    oauth_resources: instance.oauth_resources,
    oauth_dynamic_client_registration: instance.oauth_dynamic_client_registration === 1,
    created_at: instance.created_at,
    updated_at: instance.updated_at,
  };
}
