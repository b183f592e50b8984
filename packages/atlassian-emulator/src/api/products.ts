/**
 * The /ex/{product}/{cloudid}/... gateway routes. The gateway checks that the token's grant
 * covers the site and that the token holds a scope the endpoint accepts; otherwise the same
 * 401 "scope does not match" Atlassian gives (atlassian-3lo §6-§7, S51).
 */
import { type Context, Hono } from "hono";
import { findGrant } from "../grants.js";
import type { AccessTokenRecord, EmulatorState } from "../state.js";
import type { EmulatorAccount, EmulatorSite } from "../types.js";
import { confluenceSpaces, jiraIssues, jiraMyself } from "./demo-data.js";
import { bearerToken, rateLimited, SCOPE_MISMATCH, UNAUTHORIZED } from "./gateway.js";

interface Allowed {
  site: EmulatorSite;
  account: EmulatorAccount;
  token: AccessTokenRecord;
}

export function productRoutes(state: EmulatorState): Hono {
  const app = new Hono();

  /** Runs the gateway checks; a Response when the call is refused. */
  const gate = (c: Context, product: "jira" | "confluence", anyOfScopes: string[]): Response | Allowed => {
    state.counters.productCalls += 1;
    const limited = rateLimited(state, c);
    if (limited) return limited;
    const token = bearerToken(state, c);
    if (!token) return c.json(UNAUTHORIZED, 401);
    const cloudId = c.req.param("cloudId") ?? "";
    const grant = findGrant(state, token.clientId, token.accountId);
    const site = state.sites.get(cloudId);
    const account = state.accounts.get(token.accountId);
    const inGrant = grant?.cloudIds.includes(cloudId) ?? false;
    const hasScope = anyOfScopes.some((s) => token.scopes.includes(s));
    if (!site || !account || !inGrant || !hasScope || !site.products.includes(product)) {
      return c.json(SCOPE_MISMATCH, 401);
    }
    return { site, account, token };
  };

  app.get("/ex/jira/:cloudId/rest/api/3/myself", (c) => {
    const ok = gate(c, "jira", ["read:jira-user", "read:jira-work"]);
    if (ok instanceof Response) return ok;
    return c.json(jiraMyself(ok.site, ok.account));
  });

  // The enhanced search (token-paged) and the older offset-paged one; both still in use.
  app.get("/ex/jira/:cloudId/rest/api/3/search/jql", (c) => {
    const ok = gate(c, "jira", ["read:jira-work"]);
    if (ok instanceof Response) return ok;
    return c.json({ issues: jiraIssues(ok.site, ok.account), isLast: true });
  });

  app.get("/ex/jira/:cloudId/rest/api/3/search", (c) => {
    const ok = gate(c, "jira", ["read:jira-work"]);
    if (ok instanceof Response) return ok;
    const issues = jiraIssues(ok.site, ok.account);
    return c.json({ expand: "schema,names", startAt: 0, maxResults: 50, total: issues.length, issues });
  });

  app.get("/ex/confluence/:cloudId/wiki/api/v2/spaces", (c) => {
    const ok = gate(c, "confluence", ["read:space:confluence", "read:confluence-space.summary"]);
    if (ok instanceof Response) return ok;
    return c.json(confluenceSpaces(ok.site));
  });

  app.all("/ex/*", (c) => c.json({ code: 404, message: "Not Found" }, 404));

  return app;
}
