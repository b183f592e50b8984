/** One Atlassian site (cloud) the user's grant covers, as Foyer stores and serves it. */
export interface AtlassianSite {
  /** The cloud id, used in https://api.atlassian.com/ex/{product}/{cloudid}/… */
  id: string;
  name: string;
  url: string;
  scopes: string[];
  avatar_url: string | null;
}

/** API base URLs for a site: apps call these, never `<site>.atlassian.net`, with a 3LO token. */
export function siteApiBaseUrls(apiUrl: string, cloudId: string): { jira: string; confluence: string } {
  const id = encodeURIComponent(cloudId);
  return { jira: `${apiUrl}/ex/jira/${id}`, confluence: `${apiUrl}/ex/confluence/${id}` };
}
