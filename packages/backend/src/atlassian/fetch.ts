/**
 * `atlassian.fetch`: one call to Jira or Confluence on one site with the user's Atlassian token,
 * taken from the Backend API. It does what every app must do around such a call and usually gets
 * wrong: pick the account that reaches the site (never `sites[0]`), refresh once when Atlassian
 * refuses the token, and wait out a short Retry-After (atlassian-3lo §9, §11).
 */
import {
  type BackendUserJSON,
  ERRORS,
  type ErrorEntryJSON,
  type OAuthAccessTokenErrorJSON,
  type OAuthAccessTokenJSON,
  type OAuthAccessTokenSiteJSON,
  type PaginatedResponseJSON,
} from "@foyer/contract";
import { type Requester, toPage } from "../client/request.js";
import { FoyerApiError } from "../errors.js";
import { AtlassianError } from "./errors.js";
import type { AtlassianFetchOptions } from "./options.js";
import { type AtlassianRateLimit, parseRateLimit } from "./rate-limit.js";
import { type AtlassianProduct, maskedDeadToken, type TokenForSite, tokenForSite } from "./token-for-site.js";

/** One call: which site, which product's API, which path under it. */
export interface AtlassianFetchRequest {
  /** The site's cloud id (`OAuthAccessTokenSiteJSON.cloud_id`, `AtlassianSiteJSON.id`). */
  cloudId: string;
  product: AtlassianProduct;
  /** Path under the product's API base, e.g. `/rest/api/3/myself` or `/wiki/api/v2/spaces`, query included. */
  path: string;
  /**
   * Method, headers, body. `Authorization` is always the user's token. A ReadableStream body is
   * sent once and never retried (it cannot be replayed).
   */
  init?: RequestInit;
}

/** What happened on the way to the answer. */
export interface AtlassianRetries {
  /** A refused token was refreshed (`POST …/refresh`) and the call made again. */
  refreshed: boolean;
  /** How many 429/503 answers were waited out. */
  waited: number;
}

/** The answer of `atlassian.fetch`: Atlassian's response (body unread) and what came with it. */
export interface AtlassianFetchResult {
  /** Atlassian's last response, whatever its status (401 after a refresh aside, which throws). */
  response: Response;
  /** The response's rate-limit headers, parsed. Watch `nearLimit` and `remaining` to slow down. */
  rateLimit: AtlassianRateLimit;
  /** The site called, with the scopes the grant holds ON THAT SITE: decide per site what to offer. */
  site: OAuthAccessTokenSiteJSON;
  /** The Foyer external account whose token was used. */
  externalAccountId: string;
  retried: AtlassianRetries;
}

const id = (value: string) => encodeURIComponent(value);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type { AtlassianFetchOptions };

/** `atlassian.fetch` bound to a Backend API requester; see {@link AtlassianFetchOptions}. */
export function atlassianApi(request: Requester, options: AtlassianFetchOptions = {}) {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const now = options.now ?? Date.now;
  const maxWaitMs = options.maxRetryWaitMs ?? 10_000;
  const maxRetries = options.maxRateLimitRetries ?? 2;
  const timeoutMs = options.timeoutMs ?? 30_000;

  const tokens = async (userId: string, force: boolean): Promise<OAuthAccessTokenJSON[]> => {
    const path = `/users/${id(userId)}/oauth_access_tokens/oauth_atlassian${force ? "/refresh" : ""}`;
    const body = await request<OAuthAccessTokenJSON[] | PaginatedResponseJSON<OAuthAccessTokenJSON>>(
      force ? "POST" : "GET",
      path,
      { query: { paginated: true } },
    );
    return toPage(body).data;
  };

  /** The token for the site, or why there is none (a failed account that holds it, else site_not_connected). */
  const pick = async (
    userId: string,
    cloudId: string,
    items: OAuthAccessTokenJSON[],
  ): Promise<TokenForSite> => {
    const found = tokenForSite(items, cloudId);
    if (found) return found;
    const failed = items.filter((i): i is OAuthAccessTokenErrorJSON => i.token === null);
    if (failed.length > 0) {
      // A failed account lists no sites: the user's external accounts say whether it holds this one.
      const user = await request<BackendUserJSON>("GET", `/users/${id(userId)}`);
      const holder = failed.find((f) =>
        user.external_accounts.some(
          (ea) => ea.id === f.external_account_id && ea.sites.some((s) => s.id === cloudId),
        ),
      );
      if (holder) throw accountError(holder.error);
    }
    throw new AtlassianError(
      "site_not_connected",
      `None of this user's Atlassian accounts reaches the site ${cloudId} now. Ask them to connect it.`,
      { cloudId },
    );
  };

  const urlFor = (site: OAuthAccessTokenSiteJSON, product: AtlassianProduct, path: string): URL => {
    const base = site.api_base_urls[product];
    const invalid = () =>
      new AtlassianError("invalid_path", `"${path}" is not a path under ${base}.`, {
        cloudId: site.cloud_id,
        site,
      });
    if (!path.startsWith("/") || path.startsWith("//")) throw invalid();
    const url = new URL(base + path);
    const root = new URL(base);
    // The token goes to this site's API only: no `..` may climb to another cloud id or product.
    if (url.origin !== root.origin || !`${url.pathname}/`.startsWith(`${root.pathname.replace(/\/$/, "")}/`))
      throw invalid();
    return url;
  };

  const send = async (
    token: string,
    url: URL,
    init: RequestInit | undefined,
    site: OAuthAccessTokenSiteJSON,
  ) => {
    const headers = new Headers(init?.headers);
    if (!headers.has("accept")) headers.set("accept", "application/json");
    headers.set("authorization", `Bearer ${token}`);
    try {
      return await doFetch(url, {
        ...init,
        headers,
        redirect: "manual",
        signal: init?.signal ?? AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      if (init?.signal?.aborted) throw err;
      throw new AtlassianError("atlassian_unreachable", `Atlassian could not be reached at ${url.origin}.`, {
        cloudId: site.cloud_id,
        site,
        cause: err,
      });
    }
  };

  return {
    /**
     * Calls `path` on the `product` API of the site `cloudId` as the user. The token comes fresh
     * from Foyer; a 401 (or Confluence's masked 404/403 for an expired token) makes Foyer refresh
     * it once (`POST …/oauth_atlassian/refresh`) and the call is made again; a 429 or 503 is
     * retried after its Retry-After when that is short enough.
     *
     * Throws AtlassianError `site_not_connected` (no account reaches the site),
     * `atlassian_unauthorized` (401 again after the refresh: offer Reconnect), `invalid_path`,
     * `atlassian_unreachable`; and FoyerApiError from the Backend API, e.g.
     * `oauth_reauthorization_required` (the grant is dead: offer Reconnect) or
     * `oauth_provider_unavailable` (Atlassian's token endpoint is down: retry after `retryAfter`).
     */
    async fetch(userId: string, call: AtlassianFetchRequest): Promise<AtlassianFetchResult> {
      const { cloudId, product, path, init } = call;
      let chosen = await pick(userId, cloudId, await tokens(userId, false));
      const replayable = !(init?.body instanceof ReadableStream);
      const retried: AtlassianRetries = { refreshed: false, waited: 0 };
      for (;;) {
        const { token, site } = chosen;
        const url = urlFor(site, product, path);
        const response = await send(token.token, url, init, site);
        const refused =
          response.status === 401 ||
          maskedDeadToken(product, path, response.status, token.expires_at_ms, now());
        if (refused && !retried.refreshed && replayable) {
          await response.body?.cancel();
          chosen = await pick(userId, cloudId, await tokens(userId, true));
          retried.refreshed = true;
          continue;
        }
        if (response.status === 401 && retried.refreshed) {
          throw new AtlassianError(
            "atlassian_unauthorized",
            `Atlassian refused a freshly refreshed token for ${product} on ${site.name}: the grant lacks this API's scopes there, or the app lost access. Ask the user to reconnect.`,
            { cloudId, site, response },
          );
        }
        const rateLimit = parseRateLimit(response.headers, now());
        if (
          (response.status === 429 || response.status === 503) &&
          retried.waited < maxRetries &&
          replayable
        ) {
          // Without Retry-After, back off 1 s, 2 s…; a wait longer than allowed is the caller's to decide.
          const waitMs = (rateLimit.retryAfter ?? 2 ** retried.waited) * 1000;
          if (waitMs <= maxWaitMs) {
            await response.body?.cancel();
            await sleep(waitMs);
            retried.waited += 1;
            continue;
          }
        }
        return { response, rateLimit, site, externalAccountId: token.external_account_id, retried };
      }
    },
  };
}

/** A failed account's own error, as the Backend API would have thrown it for a single account. */
function accountError(entry: ErrorEntryJSON): FoyerApiError {
  return new FoyerApiError({
    code: entry.code,
    status: ERRORS[entry.code]?.status ?? 500,
    message: entry.long_message || entry.message,
    errors: [entry],
  });
}
