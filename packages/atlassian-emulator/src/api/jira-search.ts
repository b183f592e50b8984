/**
 * Jira's enhanced search, `GET|POST /rest/api/3/search/jql` (atlassian-3lo §11 [H]): cursor paging
 * with `nextPageToken` and `isLast` and no `total`, issue ids only unless `fields` is asked for,
 * and unbounded JQL refused with 400.
 */
import type { Context } from "hono";
import { type JiraIssue, jiraIssues } from "./demo-data.js";
import type { Allowed } from "./gate.js";
import { compareIssues, isBounded, matches, parseJql, UNBOUNDED_MESSAGE } from "./jql.js";
import { productError } from "./product-errors.js";

/** What either form of the request carries. */
export interface SearchParams {
  jql: string;
  nextPageToken?: string;
  maxResults?: number;
  /** Undefined: ids only. */
  fields?: string[];
}

const DEFAULT_PAGE = 50;
const MAX_PAGE = 5000;

/** The GET form: `fields` comma separated or repeated. */
export function searchParamsFromQuery(c: Context): SearchParams | string {
  const fields = c.req.queries("fields")?.flatMap((f) => f.split(","));
  const max = c.req.query("maxResults");
  const maxResults = max === undefined ? undefined : Number(max);
  if (maxResults !== undefined && !Number.isInteger(maxResults)) return "maxResults must be an integer.";
  return { jql: c.req.query("jql") ?? "", nextPageToken: c.req.query("nextPageToken"), maxResults, fields };
}

/** The POST form: a JSON object with `fields` as an array. */
export async function searchParamsFromBody(c: Context): Promise<SearchParams | string> {
  const body = (await c.req.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return "The request body must be a JSON object.";
  const { jql = "", nextPageToken, maxResults, fields } = body;
  if (typeof jql !== "string") return "jql must be a string.";
  if (nextPageToken !== undefined && typeof nextPageToken !== "string")
    return "nextPageToken must be a string.";
  if (maxResults !== undefined && !Number.isInteger(maxResults)) return "maxResults must be an integer.";
  if (fields !== undefined && !(Array.isArray(fields) && fields.every((f) => typeof f === "string")))
    return "fields must be an array of strings.";
  return {
    jql,
    nextPageToken,
    maxResults: maxResults as number | undefined,
    fields: fields as string[] | undefined,
  };
}

export function search(c: Context, allowed: Allowed, params: SearchParams | string): Response {
  if (typeof params === "string") return productError(c, "jira", 400, params);
  const parsed = parseJql(params.jql);
  if (!parsed.ok) return productError(c, "jira", 400, parsed.message);
  if (!isBounded(parsed.query)) return productError(c, "jira", 400, UNBOUNDED_MESSAGE);

  const start = readPageToken(params.nextPageToken, params.jql);
  if (start === undefined)
    return productError(c, "jira", 400, "The nextPageToken is invalid for this query.");
  const size = Math.min(Math.max(params.maxResults ?? DEFAULT_PAGE, 1), MAX_PAGE);
  const hits = jiraIssues(allowed.site, allowed.account)
    .filter((issue) => matches(issue, parsed.query, allowed.account.accountId))
    .sort(compareIssues(parsed.query));
  const page = hits.slice(start, start + size);
  const isLast = start + size >= hits.length;
  return c.json({
    issues: page.map((issue) => projectIssue(issue, params.fields)),
    ...(isLast ? {} : { nextPageToken: pageToken(start + size, params.jql) }),
    isLast,
  });
}

/** Only `id` unless fields are asked for; `*all` and `*navigable` mean every field. */
export function projectIssue(issue: JiraIssue, fields: string[] | undefined) {
  const wanted = (fields ?? []).map((f) => f.trim()).filter((f) => f.length > 0);
  if (wanted.length === 0) return { id: issue.id };
  const all = wanted.includes("*all") || wanted.includes("*navigable");
  const picked = Object.fromEntries(
    Object.entries(issue.fields).filter(
      ([name]) => (all || wanted.includes(name)) && !wanted.includes(`-${name}`),
    ),
  );
  return { id: issue.id, key: issue.key, self: issue.self, fields: picked };
}

/** Opaque to clients; bound to the query so a token from another search is refused. */
function pageToken(offset: number, jql: string): string {
  return Buffer.from(JSON.stringify({ o: offset, q: jql })).toString("base64url");
}

function readPageToken(token: string | undefined, jql: string): number | undefined {
  if (token === undefined) return 0;
  try {
    const value = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as {
      o?: unknown;
      q?: unknown;
    };
    return Number.isInteger(value.o) && value.q === jql ? (value.o as number) : undefined;
  } catch {
    return undefined;
  }
}
