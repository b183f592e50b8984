/**
 * Confluence's v1 search, `GET /wiki/rest/api/search?cql=` (classic `search:confluence`, like
 * every v1 endpoint: §7 [M]). The emulator understands a small CQL: clauses `text ~ "…"`,
 * `title ~ "…"`, `siteSearch ~ "…"`, `type = page`, `space = KEY` joined by AND, and a trailing
 * ORDER BY (ignored). Anything else is Confluence's 400, as an unparsable query is there.
 */
import type { Context } from "hono";
import type { EmulatorSite } from "../types.js";
import { confluenceSearchables } from "./demo-data.js";
import type { Allowed } from "./gate.js";
import { productError } from "./product-errors.js";

type Clause = { field: "text" | "title" | "siteSearch" | "type" | "space"; op: "~" | "="; value: string };

const CLAUSE =
  /^\s*(text|title|siteSearch|type|space)\s*(~|=)\s*(?:"((?:[^"\\]|\\.)*)"|([A-Za-z0-9_-]+))\s*/i;
const DEFAULT_LIMIT = 25;

/** The clauses of a CQL query, or undefined when the emulator cannot read it. */
export function parseCql(cql: string): Clause[] | undefined {
  let rest = cql.replace(/\s+order\s+by\s+[a-z]+(\s+(asc|desc))?\s*$/i, "");
  const clauses: Clause[] = [];
  while (rest.trim().length > 0) {
    const m = CLAUSE.exec(rest);
    if (!m) return undefined;
    const field = (["text", "title", "siteSearch", "type", "space"] as const).find(
      (f) => f.toLowerCase() === m[1]!.toLowerCase(),
    )!;
    const op = m[2] as Clause["op"];
    // `~` is a text match, `=` an exact one; each field takes one of them.
    if ((field === "type" || field === "space") !== (op === "=")) return undefined;
    clauses.push({ field, op, value: (m[3] ?? m[4] ?? "").replace(/\\(.)/g, "$1") });
    rest = rest.slice(m[0].length);
    if (rest.trim().length === 0) break;
    const and = /^AND\s+/i.exec(rest);
    if (!and) return undefined;
    rest = rest.slice(and[0].length);
  }
  return clauses.length > 0 ? clauses : undefined;
}

type Item = ReturnType<typeof confluenceSearchables>[number];

function matches(item: Item, clause: Clause): boolean {
  const has = (text: string) => text.toLowerCase().includes(clause.value.toLowerCase());
  switch (clause.field) {
    case "title":
      return has(item.title);
    case "text":
    case "siteSearch":
      return has(item.title) || has(item.excerpt);
    case "type":
      return item.type === clause.value.toLowerCase();
    case "space":
      return item.spaceKey === clause.value;
  }
}

function result(site: EmulatorSite, item: Item) {
  return {
    content: {
      id: item.id,
      type: item.type,
      status: "current",
      title: item.title,
      _links: { webui: item.webui, self: item.self },
    },
    title: item.title,
    excerpt: item.excerpt,
    url: item.webui,
    resultGlobalContainer: { title: item.spaceName, displayUrl: `/spaces/${item.spaceKey}` },
    entityType: "content",
    lastModified: item.lastModified,
    _links: { base: `${site.url}/wiki` },
  };
}

export function confluenceSearch(c: Context, allowed: Allowed): Response {
  const cql = c.req.query("cql");
  if (!cql) return productError(c, "confluence-v1", 400, "The cql query parameter is required.");
  const clauses = parseCql(cql);
  if (!clauses) return productError(c, "confluence-v1", 400, `Could not parse cql : ${cql}`);
  const start = Number(c.req.query("start") ?? 0);
  const limit = Number(c.req.query("limit") ?? DEFAULT_LIMIT);
  if (!Number.isInteger(start) || start < 0 || !Number.isInteger(limit) || limit < 1) {
    return productError(c, "confluence-v1", 400, "start and limit must be whole numbers (limit at least 1).");
  }
  const hits = confluenceSearchables(allowed.site).filter((item) => clauses.every((cl) => matches(item, cl)));
  const page = hits.slice(start, start + limit);
  const more = start + limit < hits.length;
  const next = new URLSearchParams({ cql, start: String(start + limit), limit: String(limit) });
  return c.json({
    results: page.map((item) => result(allowed.site, item)),
    start,
    limit,
    size: page.length,
    totalSize: hits.length,
    cqlQuery: cql,
    _links: {
      base: `${allowed.site.url}/wiki`,
      context: "/wiki",
      ...(more ? { next: `/rest/api/search?${next}` } : {}),
    },
  });
}
