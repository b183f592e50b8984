/** @jsxImportSource react */
import type { SiteResult, SiteView } from "../src/atlassian.js";

/** What the page says for a call that gave no data (see SiteResult in src/atlassian.ts). */
function NotShown({
  result,
  what,
  onReconnect,
}: {
  result: Exclude<SiteResult<unknown>, { ok: true }>;
  what: string;
  onReconnect: () => void;
}) {
  switch (result.kind) {
    case "no_permission":
      return (
        <p className="app-muted" data-testid="no-permission">
          No {what} permission on this site ({result.scope}).
        </p>
      );
    case "reconnect":
      // A 401 that survived a refreshed token: only a new consent can help.
      return (
        <div className="app-error">
          <p>Atlassian refused this app's access to {what} here.</p>
          <button type="button" className="foyer-button foyer-button--primary" onClick={onReconnect}>
            Reconnect Atlassian
          </button>
        </div>
      );
    default:
      return (
        <p className="app-error">
          Atlassian answered {result.status || "nothing"}: {result.message}
        </p>
      );
  }
}

/** One Atlassian site: its Jira profile, the user's issues and, where granted, Confluence spaces. */
export function SiteCard({ site, onReconnect }: { site: SiteView; onReconnect: () => void }) {
  const { myself, issues, spaces } = site;
  return (
    <article className="app-site" data-testid="site" data-site-name={site.name}>
      <h3>
        {site.name}{" "}
        <a className="app-muted" href={site.url} target="_blank" rel="noreferrer">
          {site.url}
        </a>
      </h3>
      <p className="app-muted">
        Scopes on this site: <code data-testid="site-scopes">{site.scopes.join(" ") || "none"}</code>
      </p>

      <h4>GET /rest/api/3/myself</h4>
      {myself.ok ? (
        <dl className="app-myself" data-testid="jira-myself">
          <dt>Jira display name</dt>
          <dd>{myself.data.displayName}</dd>
          <dt>Account id</dt>
          <dd>
            <code>{myself.data.accountId}</code>
          </dd>
          {myself.data.emailAddress ? (
            <>
              <dt>Email</dt>
              <dd>{myself.data.emailAddress}</dd>
            </>
          ) : null}
          {myself.data.timeZone ? (
            <>
              <dt>Time zone</dt>
              <dd>{myself.data.timeZone}</dd>
            </>
          ) : null}
        </dl>
      ) : (
        <NotShown result={myself} what="Jira profile" onReconnect={onReconnect} />
      )}

      <h4>Your issues (GET /rest/api/3/search/jql)</h4>
      {!issues.ok ? (
        <NotShown result={issues} what="Jira issues" onReconnect={onReconnect} />
      ) : issues.data.length === 0 ? (
        <p className="app-muted">No issues assigned to you.</p>
      ) : (
        <ul className="app-issues" data-testid="jira-issues">
          {issues.data.map((issue) => (
            <li key={issue.key}>
              <a href={issue.url} target="_blank" rel="noreferrer">
                {issue.key}
              </a>{" "}
              {issue.summary} <span className="app-status">{issue.status}</span>
            </li>
          ))}
        </ul>
      )}

      {/* Confluence only where the grant holds its scope on this site: no noise elsewhere. */}
      {spaces.ok || spaces.kind !== "no_permission" ? (
        <>
          <h4>Confluence spaces (GET /wiki/api/v2/spaces)</h4>
          {spaces.ok ? (
            <ul className="app-spaces" data-testid="confluence-spaces">
              {spaces.data.map((space) => (
                <li key={space.key}>
                  <code>{space.key}</code> {space.name}
                </li>
              ))}
            </ul>
          ) : (
            <NotShown result={spaces} what="Confluence spaces" onReconnect={onReconnect} />
          )}
        </>
      ) : null}
    </article>
  );
}
