/**
 * The checks every /ex/{product}/{cloudid}/… call passes, in the order the two layers apply them.
 * The gateway: a dead token is 401 (Confluence masks expired and revoked ones, §11 [M]); a site the
 * token cannot reach, or a token with no scope of the API's family at all, is 401 "scope does not
 * match" (§7, S31, S51). The product: the operation's own scope, which must also apply on this
 * site, else 403 (§11: `/myself` needs read:jira-user; Jira and Confluence answer 403).
 */
import type { Context } from "hono";
import { isClassicConfluence, isGranularConfluence, scopeProduct } from "../scopes.js";
import { reachableSites, siteScopes } from "../sites.js";
import type { EmulatorState } from "../state.js";
import type { TokenCheck } from "../tokens.js";
import type { EmulatorAccount, EmulatorSite } from "../types.js";
import { bearerToken, SCOPE_MISMATCH, UNAUTHORIZED } from "./gateway.js";
import { missingScope, type ProductApi, productError } from "./product-errors.js";
import { apiFault } from "./rate-limit.js";

export interface Operation {
  api: ProductApi;
  /** One of these must be held and apply on the site; undefined for endpoints that need none. */
  anyOf?: readonly string[];
}

export interface Allowed {
  site: EmulatorSite;
  account: EmulatorAccount;
}

/** Which scopes an API's gateway recognises: Confluence v2 only granular, v1 only classic. */
const FAMILY: Record<ProductApi, (scope: string) => boolean> = {
  jira: (s) => scopeProduct(s) === "jira",
  "confluence-v1": isClassicConfluence,
  "confluence-v2": isGranularConfluence,
};

export function gate(state: EmulatorState, c: Context, op: Operation): Response | Allowed {
  state.counters.productCalls += 1;
  const fault = apiFault(state, c, "product");
  if (fault) return fault;
  const check = bearerToken(state, c);
  if (!check.ok) return deadToken(state, c, op.api, check.reason);

  const cloudId = c.req.param("cloudId") ?? "";
  const site = reachableSites(state, check.grant).find((s) => s.cloudId === cloudId);
  const account = state.accounts.get(check.token.accountId);
  if (!site || !account) return c.json(SCOPE_MISMATCH, 401);
  if (!check.scopes.some(FAMILY[op.api])) return c.json(SCOPE_MISMATCH, 401);

  if (op.anyOf) {
    const onSite = siteScopes(site, check.scopes);
    if (!op.anyOf.some((s) => onSite.includes(s))) return missingScope(c, op.api, op.anyOf);
  }
  return { site, account };
}

/**
 * Reported: Confluence answers an expired or revoked token with 404 on v2 and 403 on v1, not 401
 * (atlassian-3lo §11 [M]); `confluenceDeadToken: "unauthorized"` gives the gateway's 401 instead.
 * Unknown tokens and tokens without the API audience are always 401.
 */
function deadToken(
  state: EmulatorState,
  c: Context,
  api: ProductApi,
  reason: Extract<TokenCheck, { ok: false }>["reason"],
): Response {
  const masked =
    api !== "jira" &&
    (reason === "expired" || reason === "revoked") &&
    state.settings.confluenceDeadToken === "masked";
  if (!masked) return c.json(UNAUTHORIZED, 401);
  return api === "confluence-v2"
    ? productError(c, api, 404, "The requested resource was not found.")
    : productError(c, api, 403, "The access token is not valid for this resource.");
}
