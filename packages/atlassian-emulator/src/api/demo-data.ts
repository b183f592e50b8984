/**
 * A few believable Jira issues and Confluence spaces per site, so product calls return the
 * shapes real clients parse (Jira REST v3, Confluence REST v2).
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

export function jiraIssues(site: EmulatorSite, assignee: EmulatorAccount) {
  return ISSUES.map((issue) => ({
    id: String(10000 + issue.n),
    key: `DEMO-${issue.n}`,
    self: `${site.url}/rest/api/3/issue/${10000 + issue.n}`,
    fields: {
      summary: issue.summary,
      status: { name: issue.status, statusCategory: { key: issue.category } },
      assignee: userRef(site, assignee),
      issuetype: { name: "Task" },
      project: { key: "DEMO", name: "Demo project" },
      created: "2025-01-06T09:00:00.000+0000",
      updated: "2025-01-07T15:30:00.000+0000",
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

export function confluenceSpaces(site: EmulatorSite) {
  const spaces = [
    { id: "98305", key: "ENG", name: "Engineering" },
    { id: "98306", key: "DOCS", name: `${site.name} documentation` },
  ];
  return {
    results: spaces.map((s) => ({
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
