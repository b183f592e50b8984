/** @jsxImportSource react */
import { Protect, useOrganization } from "@foyer/react";
import { ISSUES_SCOPE, SPACES_SCOPE } from "../src/scopes.js";
import { useConnectAtlassian } from "./connect.js";
import { SiteCard } from "./site-card.js";
import { useAtlassianView } from "./use-atlassian-view.js";

/**
 * What the app's server fetched from Atlassian for the signed-in user: every site the grant
 * covers, or only the active organization's site when there is one. The buttons ask Atlassian
 * for more through @foyer/react's SDK; nothing here holds an Atlassian token.
 */
export function JiraData() {
  const { state, reload } = useAtlassianView();
  const { organization } = useOrganization();
  const { connect, error } = useConnectAtlassian();
  const reconnect = () => void connect();
  const failed = error ? (
    <p className="app-error" role="alert">
      {error}
    </p>
  ) : null;

  if (state.kind === "loading") return <p className="app-muted">Asking Jira…</p>;
  if (state.kind === "failed") {
    return (
      <div className="app-error" role="alert">
        <p>{state.message}</p>
        <button type="button" className="foyer-button" onClick={reload}>
          Try again
        </button>
      </div>
    );
  }
  const { view } = state;
  switch (view.status) {
    case "reauthorization_required":
      return (
        <section className="app-section">
          <p>
            Atlassian no longer accepts this app's access (revoked, password changed, or unused for a long
            time).
          </p>
          <button type="button" className="foyer-button foyer-button--primary" onClick={reconnect}>
            Reconnect Atlassian
          </button>
          {failed}
        </section>
      );
    case "not_connected":
      return (
        <section className="app-section">
          <p>No Atlassian account is connected.</p>
          <button type="button" className="foyer-button foyer-button--primary" onClick={reconnect}>
            Connect Atlassian
          </button>
          {failed}
        </section>
      );
    case "unavailable":
      return (
        <section className="app-section">
          <p className="app-error">{view.message}</p>
          <button type="button" className="foyer-button" onClick={reload}>
            Try again
          </button>
        </section>
      );
  }
  const activeSite = view.activeSiteId ? view.sites[0] : undefined;
  return (
    <section className="app-section" aria-labelledby="sites-heading">
      <h2 id="sites-heading">
        {activeSite
          ? `Your Jira data on ${activeSite.name}`
          : `Atlassian sites you granted (${view.sites.length})`}
      </h2>
      {activeSite && organization ? (
        <p className="app-muted" data-testid="active-site">
          The active organization is {organization.name}: switch it at the top to see another site.
        </p>
      ) : null}
      <p className="app-muted">
        Scopes: <code data-testid="scopes">{view.scopes.join(" ")}</code>
      </p>
      {view.sites.map((site) => (
        <SiteCard key={site.id} site={site} onReconnect={reconnect} />
      ))}
      <div className="app-actions">
        {view.scopes.includes(SPACES_SCOPE) ? null : (
          <button type="button" className="foyer-button" onClick={() => void connect([SPACES_SCOPE])}>
            Allow access to Confluence spaces
          </button>
        )}
        {/* Only shows what the grant holds; the server checks each site's scopes before calling. */}
        <Protect
          scopes={[ISSUES_SCOPE]}
          fallback={
            <>
              <button
                type="button"
                className="foyer-button foyer-button--primary"
                onClick={() => void connect([ISSUES_SCOPE])}
              >
                Allow access to Jira issues
              </button>
              <span className="app-muted">
                adds the {ISSUES_SCOPE} scope; Atlassian asks you to consent again.
              </span>
            </>
          }
        >
          <button type="button" className="foyer-button" onClick={reconnect}>
            Add another Atlassian site
          </button>
        </Protect>
      </div>
      {failed}
    </section>
  );
}
