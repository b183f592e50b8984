/**
 * A tool's way to Jira and Confluence: the user's own Atlassian token, fresh from Foyer's Backend
 * API (secret key), never the MCP access token. The MCP token is for this server only (its `aud`);
 * passing it upstream would be the token passthrough the MCP spec forbids.
 */
import {
  AtlassianError,
  type AtlassianFetchResult,
  type AtlassianProduct,
  FoyerApiError,
  type FoyerClient,
  type OAuthAccessTokenSite,
  tokenForSite,
} from "@foyer/backend";
import type { FoyerAuthInfo } from "./verify-access-token.js";

/** Why the user must visit Foyer before the tool can work. */
export type ReconnectReason =
  /** No Atlassian account is connected, or none reaches this site. */
  | "not_connected"
  /** Atlassian no longer accepts the grant (revoked, expired refresh token). */
  | "reauthorization_required"
  /** The grant lacks a scope the tool needs on this site. */
  | "missing_scope";

/**
 * The step-up for the Atlassian grant: a Foyer page (`<frontend api>/connect/atlassian`) where the
 * signed-in user connects or reconnects Atlassian with the scopes the tool needs. In MCP it
 * becomes a URL-mode elicitation (`toMcpError` in `@foyer/mcp/sdk`, error -32042).
 */
export class AtlassianReconnectRequired extends Error {
  readonly reason: ReconnectReason;
  /** Open this in the user's browser. */
  readonly url: string;
  readonly scopes: readonly string[];
  readonly cloudId: string;

  constructor(
    reason: ReconnectReason,
    message: string,
    init: { url: string; scopes: readonly string[]; cloudId: string },
  ) {
    super(message);
    this.name = "AtlassianReconnectRequired";
    this.reason = reason;
    this.url = init.url;
    this.scopes = init.scopes;
    this.cloudId = init.cloudId;
  }
}

/** Which site, and the Atlassian scopes the tool's calls need there. */
export interface AtlassianForOptions {
  cloudId: string;
  /** Atlassian scopes (e.g. `read:jira-work`) the grant must hold on this site. */
  scopes?: readonly string[];
}

/** The user's Atlassian access on one site, checked for the scopes asked. */
export interface AtlassianSiteAccess {
  /** The site, with the scopes the grant holds there. */
  site: OAuthAccessTokenSite;
  /**
   * One call with `atlassian.fetch` (refresh on a refused token, Retry-After waits). A grant that
   * dies meanwhile throws AtlassianReconnectRequired.
   */
  fetch(product: AtlassianProduct, path: string, init?: RequestInit): Promise<AtlassianFetchResult>;
}

/** The Foyer page that (re)connects Atlassian with these scopes, for this site when given. */
export function reconnectUrl(frontendApiUrl: string, scopes: readonly string[], cloudId?: string): string {
  const url = new URL(`${frontendApiUrl.replace(/\/+$/, "")}/connect/atlassian`);
  if (scopes.length > 0) url.searchParams.set("scope", scopes.join(" "));
  if (cloudId) url.searchParams.set("cloud_id", cloudId);
  return url.href;
}

const DEAD_GRANT = new Set(["oauth_reauthorization_required", "oauth_missing_refresh_token"]);

/** `atlassianFor` bound to a Backend API client and the instance's Frontend API URL. */
export function atlassianAccess(foyer: FoyerClient, frontendApiUrl: string) {
  return async function atlassianFor(
    auth: FoyerAuthInfo,
    options: AtlassianForOptions,
  ): Promise<AtlassianSiteAccess> {
    const { cloudId } = options;
    const scopes = options.scopes ?? [];
    const stepUp = (reason: ReconnectReason, message: string) =>
      new AtlassianReconnectRequired(reason, message, {
        url: reconnectUrl(frontendApiUrl, scopes, cloudId),
        scopes,
        cloudId,
      });
    const userId = auth.extra.userId;
    let items: Awaited<ReturnType<FoyerClient["users"]["getOAuthAccessToken"]>>["data"];
    try {
      items = (await foyer.users.getOAuthAccessToken(userId, "atlassian")).data;
    } catch (err) {
      if (err instanceof FoyerApiError && DEAD_GRANT.has(err.code)) {
        throw stepUp(
          "reauthorization_required",
          "Atlassian no longer accepts your connection: reconnect it.",
        );
      }
      throw err;
    }
    const found = tokenForSite(items, cloudId);
    if (!found) {
      const dead = items.some((i) => i.token === null && i.status === "reauthorization_required");
      if (dead)
        throw stepUp(
          "reauthorization_required",
          "Atlassian no longer accepts your connection: reconnect it.",
        );
      throw stepUp("not_connected", `No connected Atlassian account reaches the site ${cloudId}.`);
    }
    const missing = scopes.filter((s) => !found.site.scopes.includes(s));
    if (missing.length > 0) {
      throw stepUp(
        "missing_scope",
        `Your Atlassian connection lacks ${missing.join(" ")} on ${found.site.name}.`,
      );
    }
    return {
      site: found.site,
      async fetch(product, path, init) {
        try {
          return await foyer.atlassian.fetch(userId, { cloudId, product, path, init });
        } catch (err) {
          if (err instanceof FoyerApiError && DEAD_GRANT.has(err.code)) {
            throw stepUp(
              "reauthorization_required",
              "Atlassian no longer accepts your connection: reconnect it.",
            );
          }
          if (err instanceof AtlassianError && err.code === "atlassian_unauthorized") {
            throw stepUp("missing_scope", `Atlassian refused the call on ${found.site.name}: reconnect it.`);
          }
          if (err instanceof AtlassianError && err.code === "site_not_connected") {
            throw stepUp("not_connected", `No connected Atlassian account reaches the site ${cloudId}.`);
          }
          throw err;
        }
      },
    };
  };
}
