/**
 * A small JQL: enough for the queries apps send to `/rest/api/3/search/jql`, and strict about
 * the rule Jira added with that endpoint, that a query must be bounded (atlassian-3lo §11 [H]).
 * Supported: `field op value` clauses joined by AND, with `=`, `!=`, `in (…)`, `not in (…)` on
 * project, key/issuekey, id, assignee, reporter and status, then `ORDER BY key|id|created|updated`.
 * Anything else is a 400, so a test never passes on a clause the emulator silently ignored.
 */
import type { JiraIssue } from "./demo-data.js";

type Op = "=" | "!=" | "in" | "not in";
export interface Clause {
  field: string;
  op: Op;
  values: string[];
}
export interface JqlQuery {
  clauses: Clause[];
  orderBy: { field: string; descending: boolean }[];
}
export type JqlParse = { ok: true; query: JqlQuery } | { ok: false; message: string };

const FIELDS = new Set(["project", "key", "issuekey", "id", "assignee", "reporter", "status"]);
const ORDER_FIELDS = new Set(["key", "id", "created", "updated"]);
/**
 * Clauses that restrict the search the way Jira asks for. Which clauses Jira counts is not
 * documented [L]; the emulator counts only positive matches on these, the strict reading.
 */
const RESTRICTING = new Set(["project", "key", "issuekey", "id", "assignee", "reporter"]);

export const UNBOUNDED_MESSAGE =
  "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.";

const TOKEN = /\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(!=|=|\(|\)|,)|([^\s=!(),"']+(?:\(\))?))/y;

function tokenize(jql: string): string[] | undefined {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < jql.length) {
    if (/^\s*$/.test(jql.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(jql);
    if (!m) return undefined;
    // Quoted values are marked so `"AND"` stays a value and never becomes a keyword.
    out.push(m[1] !== undefined || m[2] !== undefined ? `\u0000${m[1] ?? m[2]}` : (m[3] ?? m[4])!);
  }
  return out;
}

const word = (t: string | undefined) => (t?.startsWith("\u0000") ? undefined : t?.toLowerCase());
const value = (t: string) => (t.startsWith("\u0000") ? t.slice(1) : t);

export function parseJql(jql: string): JqlParse {
  const tokens = tokenize(jql);
  if (!tokens) return { ok: false, message: `Error in the JQL Query: cannot read '${jql}'.` };
  let i = 0;
  const fail = (message: string): JqlParse => ({ ok: false, message: `Error in the JQL Query: ${message}` });
  const clauses: Clause[] = [];
  while (i < tokens.length && word(tokens[i]) !== "order") {
    if (clauses.length > 0) {
      if (word(tokens[i]) !== "and") return fail(`the emulator supports only AND between clauses.`);
      i++;
    }
    const field = word(tokens[i++]);
    if (!field) return fail("expected a field name.");
    if (!FIELDS.has(field))
      return {
        ok: false,
        message: `Field '${field}' does not exist or you do not have permission to view it.`,
      };
    let op: Op;
    const next = word(tokens[i++]);
    if (next === "=" || next === "!=" || next === "in") op = next;
    else if (next === "not" && word(tokens[i]) === "in") {
      op = "not in";
      i++;
    } else return fail(`unsupported operator after '${field}'.`);
    const values: string[] = [];
    if (op === "in" || op === "not in") {
      if (tokens[i++] !== "(") return fail(`expected '(' after ${op}.`);
      while (tokens[i] !== ")") {
        if (tokens[i] === undefined) return fail("missing ')'.");
        if (tokens[i] !== ",") values.push(value(tokens[i]!));
        i++;
      }
      i++;
    } else {
      const v = tokens[i++];
      if (v === undefined) return fail(`expected a value after '${field} ${op}'.`);
      values.push(value(v));
    }
    clauses.push({ field, op, values });
  }
  const orderBy: JqlQuery["orderBy"] = [];
  if (word(tokens[i]) === "order") {
    if (word(tokens[i + 1]) !== "by") return fail("expected BY after ORDER.");
    i += 2;
    while (i < tokens.length) {
      const field = word(tokens[i++]);
      if (!field || !ORDER_FIELDS.has(field)) return fail(`the emulator cannot order by '${field}'.`);
      const dir = word(tokens[i]);
      if (dir === "asc" || dir === "desc") i++;
      orderBy.push({ field, descending: dir === "desc" });
      if (tokens[i] === ",") i++;
    }
  }
  return { ok: true, query: { clauses, orderBy } };
}

export function isBounded(query: JqlQuery): boolean {
  return query.clauses.some((c) => RESTRICTING.has(c.field) && (c.op === "=" || c.op === "in"));
}

/** What a clause value means for the caller: `currentUser()` is the token's account. */
function fieldValues(issue: JiraIssue, field: string): string[] {
  const f = issue.fields;
  switch (field) {
    case "project":
      return [f.project.key, f.project.name, f.project.id];
    case "key":
    case "issuekey":
      return [issue.key];
    case "id":
      return [issue.id];
    case "assignee":
      return [f.assignee.accountId];
    case "reporter":
      return [f.reporter.accountId];
    default:
      return [f.status.name];
  }
}

export function matches(issue: JiraIssue, query: JqlQuery, callerAccountId: string): boolean {
  return query.clauses.every((clause) => {
    const have = fieldValues(issue, clause.field).map((v) => v.toLowerCase());
    const hit = clause.values.some((v) => {
      const wanted = v.toLowerCase() === "currentuser()" ? callerAccountId : v;
      return have.includes(wanted.toLowerCase());
    });
    return clause.op === "=" || clause.op === "in" ? hit : !hit;
  });
}

/** Jira's default order without ORDER BY is not documented; key ascending is the emulator's. */
export function compareIssues(query: JqlQuery): (a: JiraIssue, b: JiraIssue) => number {
  const order = query.orderBy.length > 0 ? query.orderBy : [{ field: "key", descending: false }];
  return (a, b) => {
    for (const { field, descending } of order) {
      const av = sortValue(a, field);
      const bv = sortValue(b, field);
      if (av !== bv) return (av < bv ? -1 : 1) * (descending ? -1 : 1);
    }
    return 0;
  };
}

function sortValue(issue: JiraIssue, field: string): string | number {
  if (field === "created") return issue.fields.created;
  if (field === "updated") return issue.fields.updated;
  // key and id sort numerically, as Jira sorts DEMO-10 after DEMO-9.
  return Number(field === "id" ? issue.id : issue.key.split("-")[1]);
}
