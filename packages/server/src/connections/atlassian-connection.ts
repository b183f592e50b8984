import { clientSecretAad } from "../db/encrypted-columns.js";
import type { SocialConnectionTable } from "../db/schema.js";
import { ApiError } from "../errors/api-error.js";
import type { Instance } from "../instances/instances.js";
import { isLoopbackHost } from "../instances/origins.js";
import {
  DEFAULT_SCOPES,
  normaliseScopes,
  OFFLINE_ACCESS,
  parseScopeString,
} from "../providers/atlassian/scopes.js";
import type { Services } from "../services.js";
import { type ConnectionError, connectionErrorMessage, connectionErrorOf } from "./connection-errors.js";

/**
 * An instance's "Sign in with Atlassian" settings. Development instances work with no
 * configuration on the deployment's shared credentials and shared redirect URI; production
 * instances bring their own Client ID and Secret.
 */
export interface AtlassianConnection {
  enabled: boolean;
  authenticatable: boolean;
  useCustomCredentials: boolean;
  clientId: string | null;
  clientSecretSet: boolean;
  scopes: string[];
  redirectUri: string;
  /** The settings' version: the ETag, and what an If-Match save must match. 0 before the first save. */
  version: number;
  /** When the settings were last saved. */
  updatedAt: number;
  /** What Atlassian last refused about this connection, until the next success. */
  lastError: ConnectionError | null;
}

/** What the OAuth flow needs: the credentials and redirect URI actually in force. */
export interface AtlassianClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scopes: string[];
  authenticatable: boolean;
  /** The instance's own credentials (an operator's to fix), not the deployment's shared ones. */
  custom: boolean;
}

const PROVIDER = "oauth_atlassian";

function secretAad(instanceId: string): string {
  return clientSecretAad(instanceId, PROVIDER);
}

/** The shared callback of development instances; the transaction, not the URL, tells them apart. */
export function sharedRedirectUri(svc: Services): string {
  return `${svc.config.publicUrl}/v1/oauth_callback`;
}

export function ownRedirectUri(instance: Instance): string {
  return `${instance.frontend_api_url}/v1/oauth_callback`;
}

function defaults(svc: Services, instance: Instance): SocialConnectionTable {
  const dev = instance.environment === "development";
  return {
    instance_id: instance.id,
    provider: PROVIDER,
    // Zero configuration: a development instance signs in with Atlassian out of the box.
    enabled: dev && svc.atlassian.shared ? 1 : 0,
    authenticatable: 1,
    use_custom_credentials: dev ? 0 : 1,
    client_id: null,
    client_secret_enc: null,
    scopes: DEFAULT_SCOPES.join(" "),
    updated_at: instance.created_at,
    // Not stored yet: the first save inserts version 1, and an If-Match of "0" matches only this.
    version: 0,
    last_error_code: null,
    last_error_detail: null,
    last_error_at: null,
  };
}

async function loadRow(svc: Services, instance: Instance): Promise<SocialConnectionTable> {
  const row = await svc.db.kysely
    .selectFrom("social_connections")
    .selectAll()
    .where("instance_id", "=", instance.id)
    .where("provider", "=", PROVIDER)
    .executeTakeFirst();
  return row ?? defaults(svc, instance);
}

function toConnection(svc: Services, instance: Instance, row: SocialConnectionTable): AtlassianConnection {
  const custom = row.use_custom_credentials === 1;
  return {
    enabled: row.enabled === 1,
    authenticatable: row.authenticatable === 1,
    useCustomCredentials: custom,
    clientId: row.client_id,
    clientSecretSet: row.client_secret_enc !== null,
    scopes: parseScopeString(row.scopes),
    redirectUri: custom ? ownRedirectUri(instance) : sharedRedirectUri(svc),
    version: row.version,
    updatedAt: row.updated_at,
    lastError: connectionErrorOf(row),
  };
}

export async function getAtlassianConnection(
  svc: Services,
  instance: Instance,
): Promise<AtlassianConnection> {
  return toConnection(svc, instance, await loadRow(svc, instance));
}

export interface AtlassianConnectionPatch {
  enabled?: boolean;
  authenticatable?: boolean;
  use_custom_credentials?: boolean;
  client_id?: string | null;
  client_secret?: string | null;
  scopes?: string[];
}

/**
 * Applies a settings change after checking the whole result, so no invalid state is ever stored.
 * The write is a compare-and-swap on `version`, in the same statement: two saves at once can
 * never leave the Client ID of one with the Secret of the other. With `opts.ifVersion` (If-Match,
 * the dashboard's hidden field) a save made on a stale read is 412 `resource_version_conflict`;
 * without it, a save that lost the race is applied again on the state that won.
 */
export async function updateAtlassianConnection(
  svc: Services,
  instance: Instance,
  patch: AtlassianConnectionPatch,
  opts: { ifVersion?: number } = {},
): Promise<AtlassianConnection> {
  for (let attempt = 0; ; attempt++) {
    const stored = await loadRow(svc, instance);
    if (opts.ifVersion !== undefined && opts.ifVersion !== stored.version) throw versionConflict(instance);
    const row = applyPatch(svc, instance, stored, patch);
    if (await compareAndSwap(svc, row, stored.version)) return toConnection(svc, instance, row);
    if (opts.ifVersion !== undefined || attempt >= 5) throw versionConflict(instance);
  }
}

function versionConflict(instance: Instance): ApiError {
  return new ApiError("resource_version_conflict", {
    meta: { instance_id: instance.id, resource: "social_connection" },
  });
}

/** The row a patch makes of the stored one, checked whole; throws a 4xx naming the field. */
function applyPatch(
  svc: Services,
  instance: Instance,
  stored: SocialConnectionTable,
  patch: AtlassianConnectionPatch,
): SocialConnectionTable {
  const row = { ...stored };
  if (patch.enabled !== undefined) row.enabled = patch.enabled ? 1 : 0;
  if (patch.authenticatable !== undefined) row.authenticatable = patch.authenticatable ? 1 : 0;
  if (patch.use_custom_credentials !== undefined)
    row.use_custom_credentials = patch.use_custom_credentials ? 1 : 0;
  if (patch.client_id !== undefined) row.client_id = patch.client_id?.trim() || null;
  if (patch.client_secret !== undefined) {
    row.client_secret_enc = patch.client_secret
      ? svc.keyring.encrypt(patch.client_secret, secretAad(instance.id))
      : null;
  }
  if (patch.scopes !== undefined) row.scopes = normaliseScopes(patch.scopes).join(" ");

  const production = instance.environment === "production";
  if (production && row.use_custom_credentials !== 1) {
    throw new ApiError("atlassian_custom_credentials_required", {
      longMessage: "Production instances always use their own Atlassian Client ID and Secret.",
      meta: { param_name: "use_custom_credentials" },
    });
  }
  if (row.use_custom_credentials !== 1) {
    const custom =
      normaliseScopes(parseScopeString(row.scopes)).join(" ") !== normaliseScopes(DEFAULT_SCOPES).join(" ");
    if (custom) {
      throw new ApiError("atlassian_custom_credentials_required", {
        longMessage:
          "Custom scopes need custom credentials: the shared credentials only carry the default scopes.",
        meta: { param_name: "scopes" },
      });
    }
    if (row.enabled === 1 && !svc.atlassian.shared) {
      throw new ApiError("atlassian_custom_credentials_required", {
        longMessage:
          "This deployment has no shared Atlassian credentials. Enter your own Client ID and Secret.",
        meta: { param_name: "use_custom_credentials" },
      });
    }
  }
  if (row.enabled === 1 && row.use_custom_credentials === 1) {
    if (!row.client_id)
      throw new ApiError("atlassian_client_id_missing", { meta: { param_name: "client_id" } });
    if (!row.client_secret_enc) {
      throw new ApiError("atlassian_client_secret_missing", { meta: { param_name: "client_secret" } });
    }
    const url = new URL(ownRedirectUri(instance));
    if (production && url.protocol !== "https:" && !isLoopbackHost(url.hostname)) {
      throw new ApiError("atlassian_redirect_uri_insecure", { meta: { redirect_uri: url.href } });
    }
  }

  row.updated_at = svc.now();
  row.version = stored.version + 1;
  return row;
}

/** Writes the row only if the stored version is still `expected` (0: no row yet). */
async function compareAndSwap(svc: Services, row: SocialConnectionTable, expected: number): Promise<boolean> {
  if (expected === 0) {
    const res = await svc.db.kysely
      .insertInto("social_connections")
      .values(row)
      .onConflict((oc) => oc.columns(["instance_id", "provider"]).doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0n) === 1;
  }
  const res = await svc.db.kysely
    .updateTable("social_connections")
    .set({
      enabled: row.enabled,
      authenticatable: row.authenticatable,
      use_custom_credentials: row.use_custom_credentials,
      client_id: row.client_id,
      client_secret_enc: row.client_secret_enc,
      scopes: row.scopes,
      updated_at: row.updated_at,
      version: row.version,
    })
    .where("instance_id", "=", row.instance_id)
    .where("provider", "=", row.provider)
    .where("version", "=", expected)
    .executeTakeFirst();
  return res.numUpdatedRows === 1n;
}

/**
 * The credentials a sign-in uses now, or an error saying why Atlassian sign-in is off. Shared
 * credentials are only ever used by development instances.
 */
export async function resolveAtlassianClient(svc: Services, instance: Instance): Promise<AtlassianClient> {
  const row = await loadRow(svc, instance);
  const connection = toConnection(svc, instance, row);
  if (!connection.enabled) throw new ApiError("social_connection_disabled");
  if (connection.useCustomCredentials) {
    if (!row.client_id || !row.client_secret_enc) throw new ApiError("social_connection_disabled");
    return {
      clientId: row.client_id,
      clientSecret: svc.keyring.decrypt(row.client_secret_enc, secretAad(instance.id)),
      redirectUri: connection.redirectUri,
      scopes: connection.scopes,
      authenticatable: connection.authenticatable,
      custom: true,
    };
  }
  if (instance.environment !== "development" || !svc.atlassian.shared)
    throw new ApiError("social_connection_disabled");
  return {
    clientId: svc.atlassian.shared.clientId,
    clientSecret: svc.atlassian.shared.clientSecret,
    redirectUri: connection.redirectUri,
    scopes: connection.scopes,
    authenticatable: connection.authenticatable,
    custom: false,
  };
}

export function connectionJson(svc: Services, connection: AtlassianConnection) {
  const warnings: Array<{ code: string; message: string }> = [];
  if (!connection.scopes.includes(OFFLINE_ACCESS)) {
    warnings.push({
      code: "offline_access_missing",
      message:
        "Without offline_access Atlassian issues no refresh token: the app's access to Atlassian ends after an hour.",
    });
  }
  return {
    object: "social_connection" as const,
    provider: "atlassian" as const,
    strategy: PROVIDER,
    enabled: connection.enabled,
    authenticatable: connection.authenticatable,
    use_custom_credentials: connection.useCustomCredentials,
    client_id: connection.clientId,
    client_secret_set: connection.clientSecretSet,
    scopes: connection.scopes,
    redirect_uri: connection.redirectUri,
    shared_credentials: { available: Boolean(svc.atlassian.shared), emulated: svc.atlassian.emulated },
    warnings,
    last_error: connection.lastError
      ? {
          code: connection.lastError.code,
          message: connectionErrorMessage(connection.lastError, connection.redirectUri),
          detail: connection.lastError.detail,
          at: connection.lastError.at,
        }
      : null,
    updated_at: connection.updatedAt,
  };
}
