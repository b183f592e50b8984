/**
 * Jira's REST v3 through the gateway: `/myself` (needs read:jira-user, §11 [M]), the enhanced
 * search, and the removed `/search` answering 410 as Jira does since its removal (§11 [H]).
 */
import { Hono } from "hono";
import type { EmulatorState } from "../state.js";
import { jiraMyself } from "./demo-data.js";
import { gate, type Operation } from "./gate.js";
import { search, searchParamsFromBody, searchParamsFromQuery } from "./jira-search.js";
import { productError } from "./product-errors.js";

const BASE = "/ex/jira/:cloudId/rest/api/3";
const MYSELF: Operation = { api: "jira", anyOf: ["read:jira-user"] };
const SEARCH: Operation = { api: "jira", anyOf: ["read:jira-work"] };
/** The removed endpoint still passes the gateway first, then says it is gone. */
const REMOVED: Operation = { api: "jira" };

export const REMOVED_SEARCH_MESSAGE =
  "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046";

export function jiraRoutes(state: EmulatorState): Hono {
  const app = new Hono();

  app.get(`${BASE}/myself`, (c) => {
    const ok = gate(state, c, MYSELF);
    if (ok instanceof Response) return ok;
    return c.json(jiraMyself(ok.site, ok.account));
  });

  app.get(`${BASE}/search/jql`, (c) => {
    const ok = gate(state, c, SEARCH);
    if (ok instanceof Response) return ok;
    return search(c, ok, searchParamsFromQuery(c));
  });

  app.post(`${BASE}/search/jql`, async (c) => {
    const ok = gate(state, c, SEARCH);
    if (ok instanceof Response) return ok;
    return search(c, ok, await searchParamsFromBody(c));
  });

  app.on(["GET", "POST"], `${BASE}/search`, (c) => {
    const ok = gate(state, c, REMOVED);
    if (ok instanceof Response) return ok;
    return productError(c, "jira", 410, REMOVED_SEARCH_MESSAGE);
  });

  return app;
}
