/**
 * The Atlassian scopes the app's calls need. Shared by the server (which decides per site what
 * to call) and the React page (which offers to ask for what is missing); no imports, so the
 * page's bundle takes nothing else from the server.
 */

/** The scope Jira's /myself needs. */
export const PROFILE_SCOPE = "read:jira-user";
/** The scope Jira's issue search needs; the app asks for it only when the user wants issues. */
export const ISSUES_SCOPE = "read:jira-work";
/** The granular scope Confluence's v2 /spaces needs (classic scopes do not work on v2). */
export const SPACES_SCOPE = "read:space:confluence";
