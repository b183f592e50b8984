import { hkdfSync } from "node:crypto";
import type { Configuration, KoaContextWithOIDC, default as Provider } from "oidc-provider";
import { safeEqual, sha256Hex } from "../crypto/random.js";
import type { Change } from "../db/change-feed.js";
import { findInstance, type Instance } from "../instances/instances.js";
import type { Services } from "../services.js";
import { oidcAccount } from "./accounts.js";
import { clientAdapter } from "./client-lookup.js";
import { latestGrantId } from "./grants.js";
import { loadOidcProvider } from "./load-oidc-provider.js";
import { HASHED_SECRET_PREFIX } from "./oauth-applications.js";
import { payloadAdapter } from "./payload-store.js";
import { OIDC_SCOPES, resourcePolicy } from "./resources.js";
import { oauthServerKeys } from "./signing-key.js";

/**
 * One oidc-provider `Provider` per instance: its issuer is the instance's Frontend API URL
 * exactly, its endpoints sit under `<issuer>/oauth/`, its keys are the instance's own
 * authorization-server keys (signing-key.ts), its storage is Foyer's database (payload-store.ts).
 * Built on first use and kept per process; dropped when the instance's settings change (resources,
 * dynamic registration, URL), as instance-cache.ts drops instances.
 */
export const ACCESS_TOKEN_TTL_SECONDS = 3600;

/** What only the HTTP layer knows: who is signed in to Foyer in the browser making this request. */
export interface ProviderHooks {
  signedInUser(instance: Instance, cookieHeader: string | undefined): Promise<string | undefined>;
}

export function oauthPaths(issuer: string) {
  const base = new URL(issuer).pathname.replace(/\/$/, "");
  return { base, interaction: (uid: string) => `${base}/oauth/interaction/${uid}` };
}

/** Cookie keys for oidc-provider's signed cookies: derived from the encryption key, never the key itself. */
function cookieKeys(svc: Services, instanceId: string): string[] {
  const ikm = Buffer.from(svc.config.encryptionKey!, "base64");
  return [
    Buffer.from(hkdfSync("sha256", ikm, instanceId, "foyer authorization-server cookies", 32)).toString(
      "base64url",
    ),
  ];
}

/**
 * oidc-provider is loaded on first use, not at start (load-oidc-provider.ts): a `foyer` command
 * that never serves the authorization server never loads it.
 */
async function build(svc: Services, instance: Instance, hooks: ProviderHooks): Promise<Provider> {
  const { default: Provider, errors, interactionPolicy } = await loadOidcProvider(svc.log);
  const keys = await oauthServerKeys(svc, instance.id);
  const issuer = instance.frontend_api_url;
  const paths = oauthPaths(issuer);
  const suffix = sha256Hex(instance.id).slice(0, 10);
  const policy = interactionPolicy.base();
  // Foyer's own session decides who is signed in: a provider session outliving a Foyer sign-out,
  // or left by another user of the browser, sends the user back through the sign-in interaction.
  policy.get("login")!.checks.add(
    new interactionPolicy.Check("foyer_session", "The Foyer session ended or changed", async (ctx) => {
      const user = await hooks.signedInUser(instance, ctx.get("cookie") || undefined);
      return user === undefined || user !== ctx.oidc.session?.accountId;
    }),
  );

  const configuration: Configuration = {
    adapter: (name: string) =>
      name === "Client" ? clientAdapter(svc, instance) : payloadAdapter(svc, instance.id, name),
    jwks: { keys: keys.map((k) => k.privateJwk) } as Configuration["jwks"],
    cookies: {
      keys: cookieKeys(svc, instance.id),
      // Development instances share one host: each instance's cookies have their own names.
      names: {
        session: `foyer_as_${suffix}`,
        interaction: `foyer_as_i_${suffix}`,
        resume: `foyer_as_r_${suffix}`,
      },
    },
    routes: {
      authorization: "/oauth/authorize",
      token: "/oauth/token",
      revocation: "/oauth/revoke",
      registration: "/oauth/register",
      userinfo: "/oauth/userinfo",
      jwks: "/oauth/jwks",
      end_session: "/oauth/end_session",
      introspection: "/oauth/introspect",
      pushed_authorization_request: "/oauth/par",
    },
    interactions: { url: (_ctx, interaction) => paths.interaction(interaction.uid), policy },
    pkce: { required: () => true },
    responseTypes: ["code"],
    allowOmittingSingleRegisteredRedirectUri: false,
    scopes: [...OIDC_SCOPES],
    claims: { openid: ["sub"], profile: ["name", "picture"], email: ["email", "email_verified"] },
    clientAuthMethods: ["none", "client_secret_basic", "client_secret_post"],
    clientDefaults: {
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      id_token_signed_response_alg: "ES256",
    },
    enabledJWA: {
      idTokenSigningAlgValues: ["ES256"],
      userinfoSigningAlgValues: ["ES256"],
      authorizationSigningAlgValues: ["ES256"],
      requestObjectSigningAlgValues: ["ES256"],
      introspectionSigningAlgValues: ["ES256"],
      clientAuthSigningAlgValues: ["ES256"],
    },
    features: {
      devInteractions: { enabled: false },
      // A client may revoke only what was issued to it.
      revocation: {
        enabled: true,
        allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId,
      },
      userinfo: { enabled: true },
      introspection: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      registration: {
        enabled: instance.oauth_dynamic_client_registration === 1,
        initialAccessToken: false,
        issueRegistrationAccessToken: false,
      },
      resourceIndicators: {
        enabled: true,
        // No resource asked for: no access token for any resource (the token is for userinfo only).
        defaultResource: () => undefined,
        useGrantedResource: () => true,
        getResourceServerInfo: (ctx, resource) => {
          const asked = String(ctx.oidc.params?.scope ?? "")
            .split(" ")
            .filter(Boolean);
          const granted = ctx.oidc.entities.Grant?.getResourceScope(resource);
          const scopes =
            asked.length > 0
              ? asked
              : String(granted ?? "")
                  .split(" ")
                  .filter(Boolean);
          const found = resourcePolicy(instance, resource, scopes);
          if (!found) throw new errors.InvalidTarget();
          return {
            audience: found.resource,
            scope: found.scopes.join(" "),
            accessTokenTTL: ACCESS_TOKEN_TTL_SECONDS,
            accessTokenFormat: "jwt",
            jwt: { sign: { alg: "ES256" } },
          };
        },
      },
    },
    // Client ID Metadata Documents are served by the Client lookup (client-lookup.ts), not by
    // oidc-provider's own feature: clients (MCP's) look for this flag before trying one.
    discovery: { client_id_metadata_document_supported: true },
    rotateRefreshToken: true,
    // Every client allowed the refresh_token grant gets one; no offline_access ritual (OAuth 2.1).
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    // A client's tokens live by their grant, not by the browser session that approved it (that
    // is only oidc-provider's, and Foyer drops it when another user signs in on the browser):
    // the user ends them by withdrawing the approval, the operator by banning or locking.
    expiresWithSession: async () => false,
    findAccount: (_ctx, sub) => oidcAccount(svc, instance.id, sub),
    // A remembered approval is a stored grant for this user and client; the consent prompt
    // still appears for whatever it does not cover.
    loadExistingGrant: async (ctx) => {
      const accountId = ctx.oidc.session?.accountId;
      const clientId = ctx.oidc.client?.clientId;
      const grantId =
        ctx.oidc.result?.consent?.grantId ??
        (accountId && clientId ? await latestGrantId(svc, instance.id, accountId, clientId) : undefined);
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
    ttl: {
      AccessToken: ACCESS_TOKEN_TTL_SECONDS,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 600,
      Session: 14 * 24 * 3600,
      Grant: 365 * 24 * 3600,
      RefreshToken: 30 * 24 * 3600,
    },
    renderError: async (ctx, out) => renderOAuthError(ctx, out),
  };

  const provider = new Provider(issuer, configuration);
  if (svc.config.trustProxy) provider.proxy = true;
  // Stored secrets are hashes (oauth-applications.ts, client-lookup.ts): compare hashes, in constant time.
  provider.Client.prototype.compareClientSecret = function compare(
    this: { clientSecret?: string },
    actual: string,
  ) {
    const stored = this.clientSecret ?? "";
    return (
      stored.startsWith(HASHED_SECRET_PREFIX) &&
      safeEqual(stored, `${HASHED_SECRET_PREFIX}${sha256Hex(actual)}`)
    );
  };
  // Redirect URIs are compared exactly, native loopback ones too (no port leeway).
  provider.Client.prototype.redirectUriAllowed = function allowed(
    this: { redirectUris: string[] },
    uri: string,
  ) {
    return this.redirectUris.includes(uri);
  };
  provider.on("server_error", (_ctx, err) => svc.log.error({ err }, "authorization server error"));
  return provider;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** oidc-provider's error page (an unusable client or redirect URI): plain, escaped, no script. */
function renderOAuthError(
  ctx: KoaContextWithOIDC,
  out: { error?: string; error_description?: string },
): void {
  ctx.type = "html";
  ctx.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'");
  ctx.body =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in request refused</title></head>` +
    `<body><main><h1>This sign-in request cannot be used</h1><p>${escapeHtml(out.error ?? "")}: ` +
    `${escapeHtml(out.error_description ?? "")}</p></main></body></html>`;
}

/** A backstop for a change notice that never came (see instance-cache.ts): rebuilt this often at most. */
const PROVIDER_TTL_MS = 30_000;

interface ProviderCache {
  providers: Map<string, { at: number; provider: Promise<Provider> }>;
}
const caches = new WeakMap<Services, ProviderCache>();

function forget(cache: ProviderCache, change: Change | undefined): void {
  if (change && change.kind !== "instance" && change.kind !== "instances") return;
  if (change?.kind === "instance" && change.instanceId) cache.providers.delete(change.instanceId);
  else cache.providers.clear();
}

/** The instance's provider, built once per process and rebuilt after a settings change. */
export async function instanceProvider(
  svc: Services,
  instanceId: string,
  hooks: ProviderHooks,
): Promise<Provider | undefined> {
  let cache = caches.get(svc);
  if (!cache) {
    const created: ProviderCache = { providers: new Map() };
    svc.db.changes.subscribe((change) => forget(created, change));
    caches.set(svc, created);
    cache = created;
  }
  const hit = cache.providers.get(instanceId);
  if (hit && Date.now() - hit.at < PROVIDER_TTL_MS) return hit.provider;
  const instance = await findInstance(svc, instanceId);
  if (!instance) return undefined;
  const provider = build(svc, instance, hooks);
  const entry = { at: Date.now(), provider };
  cache.providers.set(instanceId, entry);
  provider.catch(() => {
    if (cache.providers.get(instanceId) === entry) cache.providers.delete(instanceId);
  });
  return provider;
}
