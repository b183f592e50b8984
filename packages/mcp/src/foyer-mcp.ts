/**
 * Everything an MCP server needs from Foyer in one object: its protection (metadata, challenges,
 * token checks) and, with the secret key, the user's Atlassian access for its tools.
 */
import { createFoyerClient, type FoyerClient } from "@foyer/backend";
import {
  type AtlassianForOptions,
  type AtlassianSiteAccess,
  atlassianAccess,
  reconnectUrl,
} from "./atlassian-for.js";
import { type ProtectedResource, type ProtectResourceOptions, protectResource } from "./protect.js";
import type { FoyerAuthInfo } from "./verify-access-token.js";

/** Options of {@link createFoyerMcp}. */
export interface FoyerMcpOptions extends ProtectResourceOptions {
  /** `sk_test_…` / `sk_live_…` of the same instance, for the Backend API (server-side only). */
  secretKey: string;
  /** Foyer's public URL (the Backend API is under `/v1`). */
  apiUrl: string;
  /** A Backend API client to use instead of one made from secretKey and apiUrl. */
  foyer?: FoyerClient;
}

/** What {@link createFoyerMcp} returns. */
export interface FoyerMcp extends ProtectedResource {
  /** The Backend API client (secret key). */
  foyer: FoyerClient;
  /**
   * The user's Atlassian access on one site, with the scopes asked, or AtlassianReconnectRequired
   * carrying the Foyer page that fixes it.
   */
  atlassianFor(auth: FoyerAuthInfo, options: AtlassianForOptions): Promise<AtlassianSiteAccess>;
  /** The Foyer page that (re)connects Atlassian with these scopes. */
  reconnectUrl(scopes: readonly string[], cloudId?: string): string;
}

/** An MCP server's Foyer: {@link protectResource} plus the Backend API for tools. */
export function createFoyerMcp(options: FoyerMcpOptions): FoyerMcp {
  const protectedResource = protectResource(options);
  const foyer = options.foyer ?? createFoyerClient({ secretKey: options.secretKey, apiUrl: options.apiUrl });
  return {
    ...protectedResource,
    foyer,
    atlassianFor: atlassianAccess(foyer, protectedResource.issuer),
    reconnectUrl: (scopes, cloudId) => reconnectUrl(protectedResource.issuer, scopes, cloudId),
  };
}
