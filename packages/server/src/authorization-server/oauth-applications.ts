import { newId, randomToken, sha256Hex } from "../crypto/random.js";
import type { OAuthApplicationTable } from "../db/schema.js";
import { ApiError } from "../errors/api-error.js";
import type { Environment } from "../instances/instances.js";
import { isLoopbackHost } from "../instances/origins.js";
import type { Services } from "../services.js";
import { OIDC_SCOPES } from "./resources.js";

/**
 * Pre-registered clients of an instance's authorization server, named as Clerk names them
 * (`oauth_applications`). A confidential client's secret is shown once, in the answer that
 * creates it, and kept only as a SHA-256 (it is 256 random bits, so a plain hash suffices, as for
 * secret keys); a public client (a SPA, a native or CLI app) has none and must use PKCE, as all do.
 */
export const MAX_OAUTH_APPLICATIONS = 100;

/** What a stored client secret looks like to oidc-provider: the hash, tagged (client-auth.ts compares). */
export const HASHED_SECRET_PREFIX = "sha256:";

export function hashClientSecret(secret: string): string {
  return `${HASHED_SECRET_PREFIX}${sha256Hex(secret)}`;
}

export interface OAuthApplicationInput {
  name: string;
  redirect_uris: string[];
  scopes?: string;
  public?: boolean;
}

/**
 * A redirect URI as Foyer registers it: absolute, no fragment, no user:password; https, or plain
 * http to a loopback host (native apps and local development, RFC 8252), or a private-use scheme
 * (`com.example.app:/cb`) for native apps. Compared byte for byte at authorization.
 */
export function parseRedirectUri(value: string): string {
  const invalid = () =>
    new ApiError("oauth_redirect_uri_invalid", { meta: { param_name: "redirect_uris", value } });
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid();
  }
  if (value.includes("#") || url.username || url.password || value.length > 2000) throw invalid();
  if (url.protocol === "https:") return value;
  if (url.protocol === "http:") {
    if (isLoopbackHost(url.hostname)) return value;
    throw invalid();
  }
  // Private-use schemes (reverse domain names) for native apps; never script or data URLs.
  if (/^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:$/.test(url.protocol)) return value;
  throw invalid();
}

export async function createOAuthApplication(
  svc: Services,
  instance: { id: string; environment: Environment },
  input: OAuthApplicationInput,
): Promise<{ application: OAuthApplicationTable; clientSecret: string | undefined }> {
  const redirectUris = [...new Set(input.redirect_uris.map(parseRedirectUri))];
  const count = await svc.db.kysely
    .selectFrom("oauth_applications")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("instance_id", "=", instance.id)
    .executeTakeFirstOrThrow();
  if (Number(count.n) >= MAX_OAUTH_APPLICATIONS) throw new ApiError("oauth_application_limit_reached");
  // A client's `scope` limits the OpenID scopes it may ask for (oidc-provider refuses a client
  // whose list holds anything else); what it may ask of a resource is the resource's list.
  const scopes = [...new Set((input.scopes ?? "openid profile email offline_access").split(" "))];
  const unknown = scopes.find((s) => !(OIDC_SCOPES as readonly string[]).includes(s));
  if (unknown !== undefined) {
    throw new ApiError("form_param_invalid", {
      longMessage: `scopes lists the OpenID scopes the client may ask for (${OIDC_SCOPES.join(", ")}); ${JSON.stringify(unknown)} is not one. Resource scopes are set per resource (oauth_resources).`,
      meta: { param_name: "scopes" },
    });
  }
  const isPublic = input.public === true;
  const clientSecret = isPublic ? undefined : `fyr_cs_${randomToken(32)}`;
  const now = svc.now();
  const application: OAuthApplicationTable = {
    id: newId("oa"),
    instance_id: instance.id,
    client_id: randomToken(24),
    name: input.name,
    public: isPublic ? 1 : 0,
    client_secret_hash: clientSecret ? hashClientSecret(clientSecret) : null,
    redirect_uris: JSON.stringify(redirectUris),
    scopes: scopes.join(" "),
    created_at: now,
    updated_at: now,
  };
  await svc.db.kysely.insertInto("oauth_applications").values(application).execute();
  return { application, clientSecret };
}

export async function listOAuthApplications(
  svc: Services,
  instanceId: string,
): Promise<OAuthApplicationTable[]> {
  return svc.db.kysely
    .selectFrom("oauth_applications")
    .selectAll()
    .where("instance_id", "=", instanceId)
    .orderBy("created_at", "asc")
    .execute();
}

export async function findOAuthApplicationByClientId(
  svc: Services,
  instanceId: string,
  clientId: string,
): Promise<OAuthApplicationTable | undefined> {
  return svc.db.kysely
    .selectFrom("oauth_applications")
    .selectAll()
    .where("instance_id", "=", instanceId)
    .where("client_id", "=", clientId)
    .executeTakeFirst();
}

/** Deletes a client and everything issued to it: grants, codes, tokens. */
export async function deleteOAuthApplication(svc: Services, instanceId: string, id: string): Promise<void> {
  await svc.db.kysely.transaction().execute(async (trx) => {
    const app = await trx
      .selectFrom("oauth_applications")
      .select("client_id")
      .where("instance_id", "=", instanceId)
      .where("id", "=", id)
      .executeTakeFirst();
    if (!app) throw new ApiError("resource_not_found", { meta: { oauth_application_id: id } });
    await trx
      .deleteFrom("oauth_server_payloads")
      .where("instance_id", "=", instanceId)
      .where("client_id", "=", app.client_id)
      .execute();
    await trx.deleteFrom("oauth_applications").where("id", "=", id).execute();
  });
}

/** The Platform API's JSON; `client_secret` only in the answer that creates it. */
export function oauthApplicationJson(app: OAuthApplicationTable, clientSecret?: string) {
  return {
    object: "oauth_application" as const,
    id: app.id,
    instance_id: app.instance_id,
    name: app.name,
    client_id: app.client_id,
    public: app.public === 1,
    ...(clientSecret ? { client_secret: clientSecret } : {}),
    redirect_uris: JSON.parse(app.redirect_uris) as string[],
    scopes: app.scopes,
    created_at: app.created_at,
    updated_at: app.updated_at,
  };
}

/** The client as oidc-provider reads it (RFC 7591 metadata). */
export function clientMetadataOf(app: OAuthApplicationTable): Record<string, unknown> {
  return {
    client_id: app.client_id,
    client_name: app.name,
    redirect_uris: JSON.parse(app.redirect_uris) as string[],
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    scope: app.scopes,
    ...(app.public === 1
      ? { token_endpoint_auth_method: "none" }
      : { token_endpoint_auth_method: "client_secret_basic", client_secret: app.client_secret_hash }),
  };
}
