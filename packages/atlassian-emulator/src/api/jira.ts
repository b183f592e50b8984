/**
 * Jira's REST v3 through the gateway: `/myself` (needs read:jira-user, §11 [M]), the enhanced
 * search, one issue by id or key, and the removed `/search` answering 410 as Jira does since its
 * removal (§11 [H]).
 */
import { Hono } from "hono";
import type { EmulatorState } from "../state.js";
import { jiraIssues, jiraMyself } from "./demo-data.js";
import { gate, type Operation } from "./gate.js";
import { projectIssue, search, searchParamsFromBody, searchParamsFromQuery } from "./jira-search.js";
import { productError } from "./product-errors.js";

const BASE = "/ex/jira/:cloudId/rest/api/3";
const MYSELF: Operation = { api: "jira", anyOf: ["read:jira-user"] };
const SEARCH: Operation = { api: "jira", anyOf: ["read:jira-work"] };
const ISSUE: Operation = { api: "jira", anyOf: ["read:jira-work"] };
/** Jira's words for an issue that is missing or hidden: it never says which. */
export const ISSUE_NOT_FOUND_MESSAGE = "Issue does not exist or you do not have permission to see it.";
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

  // Unlike the search, one issue comes with every field unless `fields` narrows it.
  app.get(`${BASE}/issue/:issueIdOrKey`, (c) => {
    const ok = gate(state, c, ISSUE);
    if (ok instanceof Response) return ok;
    const wanted = c.req.param("issueIdOrKey").toUpperCase();
    const issue = jiraIssues(ok.site, ok.account).find((i) => i.id === wanted || i.key === wanted);
    if (!issue) return productError(c, "jira", 404, ISSUE_NOT_FOUND_MESSAGE);
    const fields = c.req.queries("fields")?.flatMap((f) => f.split(","));
    return c.json(projectIssue(issue, fields && fields.length > 0 ? fields : ["*all"]));
  });

  app.on(["GET", "POST"], `${BASE}/search`, (c) => {
    const ok = gate(state, c, REMOVED);
    if (ok instanceof Response) return ok;
    return productError(c, "jira", 410, REMOVED_SEARCH_MESSAGE);
  });

  return app;
}
