/**
 * A few believable Jira issues and Confluence spaces and pages per site, so product calls return
 * the shapes real clients parse (Jira REST v3, Confluence REST v2 and v1).
 */
import type { EmulatorAccount, EmulatorSite } from "../types.js";

const ISSUES = [
  { n: 1, summary: "Set up Sign in with Atlassian", status: "Done", category: "done" },
  {
    n: 2,
    summary: "Show the user's Jira sites after sign-in",
    status: "In Progress",
    category: "indeterminate",
  },
  { n: 3, summary: "Handle refresh token rotation", status: "To Do", category: "new" },
] as const;

function userRef(site: EmulatorSite, account: EmulatorAccount) {
  return {
    self: `${site.url}/rest/api/3/user?accountId=${encodeURIComponent(account.accountId)}`,
    accountId: account.accountId,
    displayName: account.name,
    active: (account.accountStatus ?? "active") === "active",
    accountType: account.accountType ?? "atlassian",
  };
}

export type JiraIssue = ReturnType<typeof jiraIssues>[number];

/** The demo project's issues, assigned to and reported by whoever asks; later ones updated later. */
export function jiraIssues(site: EmulatorSite, caller: EmulatorAccount) {
  return ISSUES.map((issue) => ({
    id: String(10000 + issue.n),
    key: `DEMO-${issue.n}`,
    self: `${site.url}/rest/api/3/issue/${10000 + issue.n}`,
    fields: {
      summary: issue.summary,
      status: { name: issue.status, statusCategory: { key: issue.category } },
      assignee: userRef(site, caller),
      reporter: userRef(site, caller),
      issuetype: { name: "Task" },
      project: { id: "10000", key: "DEMO", name: "Demo project" },
      created: `2025-01-0${issue.n}T09:00:00.000+0000`,
      updated: `2025-01-0${issue.n + 3}T15:30:00.000+0000`,
    },
  }));
}

export function jiraMyself(site: EmulatorSite, account: EmulatorAccount) {
  return {
    ...userRef(site, account),
    emailAddress: account.hideEmail ? undefined : account.email,
    timeZone: account.zoneinfo ?? "Etc/UTC",
    locale: (account.locale ?? "en-US").replace("-", "_"),
    avatarUrls: { "48x48": account.picture ?? "" },
  };
}

function spaces(site: EmulatorSite) {
  return [
    { id: "98305", key: "ENG", name: "Engineering" },
    { id: "98306", key: "DOCS", name: `${site.name} documentation` },
  ];
}

/** Each space has its home page and one child page. */
function pages(site: EmulatorSite) {
  return spaces(site).flatMap((space) => [
    { id: String(Number(space.id) + 1000), spaceId: space.id, title: `${space.name} home`, parentId: null },
    {
      id: String(Number(space.id) + 2000),
      spaceId: space.id,
      title: `Getting started in ${space.name}`,
      parentId: String(Number(space.id) + 1000),
    },
  ]);
}

/** Confluence REST v2 `GET /wiki/api/v2/spaces`. */
export function confluenceSpaces(site: EmulatorSite) {
  return {
    results: spaces(site).map((s) => ({
      ...s,
      type: "global",
      status: "current",
      authorId: "557058:emulator",
      createdAt: "2025-01-06T09:00:00.000Z",
      homepageId: String(Number(s.id) + 1000),
      _links: { webui: `/spaces/${s.key}` },
    })),
    _links: { base: `${site.url}/wiki` },
  };
}

/** Confluence REST v2 `GET /wiki/api/v2/pages`. */
export function confluencePages(site: EmulatorSite) {
  return {
    results: pages(site).map((p) => ({
      ...p,
      status: "current",
      authorId: "557058:emulator",
      createdAt: "2025-01-06T09:00:00.000Z",
      version: { number: 1 },
      _links: { webui: `/spaces/${p.spaceId}/pages/${p.id}` },
    })),
    _links: { base: `${site.url}/wiki` },
  };
}

/** Confluence REST v1 `GET /wiki/rest/api/space`: offset paging, expandable links. */
export function confluenceV1Spaces(site: EmulatorSite) {
  const results = spaces(site).map((s) => ({
    id: Number(s.id),
    key: s.key,
    name: s.name,
    type: "global",
    status: "current",
    _links: { webui: `/spaces/${s.key}`, self: `${site.url}/wiki/rest/api/space/${s.key}` },
  }));
  return { results, start: 0, limit: 25, size: results.length, _links: { base: `${site.url}/wiki` } };
}

/** Confluence REST v1 `GET /wiki/rest/api/content` (pages). */
export function confluenceV1Content(site: EmulatorSite) {
  const results = pages(site).map((p) => ({
    id: p.id,
    type: "page",
    status: "current",
    title: p.title,
    _links: {
      webui: `/spaces/${p.spaceId}/pages/${p.id}`,
      self: `${site.url}/wiki/rest/api/content/${p.id}`,
    },
  }));
  return { results, start: 0, limit: 25, size: results.length, _links: { base: `${site.url}/wiki` } };
}

/** What Confluence's CQL search finds on a site: its pages, each with its space. */
export function confluenceSearchables(site: EmulatorSite) {
  const bySpace = new Map(spaces(site).map((s) => [s.id, s]));
  return pages(site).map((p) => {
    const space = bySpace.get(p.spaceId)!;
    return {
      id: p.id,
      type: "page" as const,
      title: p.title,
      spaceKey: space.key,
      spaceName: space.name,
      excerpt: `${p.title} in the ${space.name} space.`,
      lastModified: "2025-01-06T09:00:00.000Z",
      webui: `/spaces/${space.key}/pages/${p.id}`,
      self: `${site.url}/wiki/rest/api/content/${p.id}`,
    };
  });
}
