/**
 * The example's tools. Each acts for the user the access token names, with that user's own
 * Atlassian token (`atlassianFor`), on the site the agent picks by `cloud_id` (from `list_sites`).
 */
import type { AtlassianFetchResult, AtlassianProduct } from "@foyer/backend";
import { FoyerApiError } from "@foyer/backend";
import { AtlassianReconnectRequired, type FoyerAuthInfo, type FoyerMcp } from "@foyer/mcp";
import { toMcpError } from "@foyer/mcp/sdk";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

/** The MCP scopes each tool needs (checked at the HTTP layer: a missing one is the 403 step-up). */
export const TOOL_SCOPES: Record<string, readonly string[]> = {
  list_sites: [],
  jira_search: ["jira:read"],
  jira_get_issue: ["jira:read"],
  confluence_search: ["confluence:read"],
};

/** Every MCP scope this server knows (its metadata's `scopes_supported`). */
export const MCP_SCOPES = ["jira:read", "confluence:read"];

/** The Atlassian scopes behind the MCP ones. */
export const ATLASSIAN_SCOPES = {
  jira: ["read:jira-work"],
  confluence: ["search:confluence"],
} as const;

const text = (value: unknown): CallToolResult => ({
  content: [{ type: "text", text: JSON.stringify(value, null, 2) }],
  structuredContent: value as Record<string, unknown>,
});

const failure = (message: string): CallToolResult => ({
  content: [{ type: "text", text: message }],
  isError: true,
});

/** Atlassian's own words from a failed call: Jira's errorMessages, Confluence's message. */
async function atlassianFailure(result: AtlassianFetchResult): Promise<CallToolResult> {
  const body = (await result.response.json().catch(() => undefined)) as
    | { errorMessages?: unknown[]; message?: unknown; errors?: Record<string, unknown> }
    | undefined;
  const said = body?.errorMessages?.[0] ?? body?.message ?? Object.values(body?.errors ?? {})[0];
  const reason = typeof said === "string" ? said : `HTTP ${result.response.status}`;
  const wait =
    result.rateLimit.retryAfter !== undefined ? ` Retry after ${result.rateLimit.retryAfter} s.` : "";
  return failure(`Atlassian refused the call on ${result.site.name}: ${reason}.${wait}`);
}

/** Registers the tools on a per-request McpServer, bound to that request's verified token. */
export function registerTools(server: McpServer, foyer: FoyerMcp, auth: FoyerAuthInfo): void {
  /** One Atlassian call for a tool; a reconnect becomes the URL elicitation (-32042). */
  const call = async (
    cloudId: string,
    product: AtlassianProduct,
    path: string,
    init?: RequestInit,
  ): Promise<AtlassianFetchResult> => {
    try {
      const site = await foyer.atlassianFor(auth, { cloudId, scopes: ATLASSIAN_SCOPES[product] });
      return await site.fetch(product, path, init);
    } catch (err) {
      throw toMcpError(err);
    }
  };

  server.registerTool(
    "list_sites",
    {
      title: "List Atlassian sites",
      description:
        "The Atlassian sites (Jira, Confluence) the user has connected, with each site's cloud_id and the Atlassian scopes granted there. Call this first: every other tool takes a cloud_id.",
      annotations: { readOnlyHint: true },
    },
    async () => {
      try {
        const items = (await foyer.foyer.users.getOAuthAccessToken(auth.extra.userId, "atlassian")).data;
        const sites = items
          .filter((item) => item.token !== null)
          .flatMap((item) => item.sites)
          .filter((s) => s.status === "accessible")
          .map((s) => ({ cloud_id: s.cloud_id, name: s.name, url: s.url, scopes: s.scopes }));
        if (sites.length > 0) return text({ sites });
      } catch (err) {
        const dead =
          err instanceof FoyerApiError &&
          /^oauth_(reauthorization_required|missing_refresh_token)$/.test(err.code);
        if (!dead) throw err;
      }
      // No usable Atlassian grant at all: the user connects (or reconnects) one first.
      const scopes = [...ATLASSIAN_SCOPES.jira, ...ATLASSIAN_SCOPES.confluence];
      throw toMcpError(
        new AtlassianReconnectRequired(
          "not_connected",
          "Connect your Atlassian account to use Jira and Confluence.",
          {
            url: foyer.reconnectUrl(scopes),
            scopes,
            cloudId: "",
          },
        ),
      );
    },
  );

  server.registerTool(
    "jira_search",
    {
      title: "Search Jira issues",
      description:
        "Searches Jira issues with JQL on one site. Bounded JQL only (e.g. `project = DEMO ORDER BY updated DESC` or `assignee = currentUser()`). Pages with next_page_token.",
      inputSchema: {
        cloud_id: z.string().min(1).describe("The site, from list_sites."),
        jql: z.string().min(1).max(2000),
        next_page_token: z.string().optional().describe("From the previous page's answer."),
        max_results: z.number().int().min(1).max(100).default(20),
      },
      annotations: { readOnlyHint: true },
    },
    async ({ cloud_id, jql, next_page_token, max_results }) => {
      const result = await call(cloud_id, "jira", "/rest/api/3/search/jql", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          jql,
          maxResults: max_results,
          fields: ["summary", "status", "assignee", "updated"],
          ...(next_page_token ? { nextPageToken: next_page_token } : {}),
        }),
      });
      if (!result.response.ok) return atlassianFailure(result);
      const body = (await result.response.json()) as {
        issues?: Array<{ key: string; fields?: Record<string, unknown> }>;
        nextPageToken?: string;
        isLast?: boolean;
      };
      return text({
        issues: (body.issues ?? []).map((issue) => ({
          key: issue.key,
          summary: String(issue.fields?.summary ?? ""),
          status: (issue.fields?.status as { name?: string } | undefined)?.name ?? null,
          assignee:
            (issue.fields?.assignee as { displayName?: string } | null | undefined)?.displayName ?? null,
          updated: issue.fields?.updated ?? null,
          url: `${result.site.url}/browse/${encodeURIComponent(issue.key)}`,
        })),
        next_page_token: body.nextPageToken ?? null,
        is_last: body.isLast ?? true,
      });
    },
  );

  server.registerTool(
    "jira_get_issue",
    {
      title: "Get a Jira issue",
      description: "One Jira issue by key (e.g. DEMO-1) on one site: summary, status, people, dates.",
      inputSchema: {
        cloud_id: z.string().min(1).describe("The site, from list_sites."),
        issue_key: z
          .string()
          .regex(/^[A-Za-z][A-Za-z0-9_]*-\d+$|^\d+$/, "an issue key like DEMO-1, or an issue id"),
      },
      annotations: { readOnlyHint: true },
    },
    async ({ cloud_id, issue_key }) => {
      const fields = "summary,status,assignee,reporter,issuetype,project,created,updated,description";
      const result = await call(
        cloud_id,
        "jira",
        `/rest/api/3/issue/${encodeURIComponent(issue_key)}?fields=${fields}`,
      );
      if (!result.response.ok) return atlassianFailure(result);
      const issue = (await result.response.json()) as {
        id: string;
        key: string;
        fields: Record<string, unknown>;
      };
      return text({ ...issue, url: `${result.site.url}/browse/${encodeURIComponent(issue.key)}` });
    },
  );

  server.registerTool(
    "confluence_search",
    {
      title: "Search Confluence",
      description:
        'Searches Confluence content with CQL on one site, e.g. `type = page AND text ~ "onboarding"`. Pages with start.',
      inputSchema: {
        cloud_id: z.string().min(1).describe("The site, from list_sites."),
        cql: z.string().min(1).max(2000),
        start: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(50).default(10),
      },
      annotations: { readOnlyHint: true },
    },
    async ({ cloud_id, cql, start, limit }) => {
      const query = new URLSearchParams({ cql, start: String(start), limit: String(limit) });
      const result = await call(cloud_id, "confluence", `/wiki/rest/api/search?${query}`);
      if (!result.response.ok) return atlassianFailure(result);
      const body = (await result.response.json()) as {
        results?: Array<{
          title?: string;
          excerpt?: string;
          url?: string;
          content?: { id?: string; type?: string };
        }>;
        size?: number;
        totalSize?: number;
        _links?: { next?: string };
      };
      return text({
        results: (body.results ?? []).map((r) => ({
          id: r.content?.id ?? null,
          type: r.content?.type ?? null,
          title: r.title ?? "",
          excerpt: r.excerpt ?? "",
          url: r.url ? `${result.site.url}/wiki${r.url}` : null,
        })),
        next_start: body._links?.next ? start + (body.size ?? 0) : null,
      });
    },
  );
}
