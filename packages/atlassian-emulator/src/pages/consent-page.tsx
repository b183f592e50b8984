/**
 * Step 2: the consent screen. Lists the scopes with their titles and, for resource-level apps
 * asking for site-bound scopes, a site picker where exactly one site must be chosen.
 */
import { scopeTitle } from "../scopes.js";
import type { EmulatorAccount, EmulatorSite } from "../types.js";
import { initials, Layout } from "./layout.js";

export interface ConsentPageProps {
  pendingId: string;
  appName: string;
  account: EmulatorAccount;
  scopes: string[];
  /** Sites to pick one from; undefined when no picker is shown. */
  pickSites?: EmulatorSite[];
  /** Sites granted without a picker (account-level apps). */
  allSites?: EmulatorSite[];
  error?: string;
}

export function ConsentPage(props: ConsentPageProps) {
  return (
    <Layout title={`${props.appName} is requesting access`}>
      <div class="card">
        <h1>{props.appName} is requesting access to your Atlassian account</h1>
        <p class="muted">
          Signed in as <strong>{props.account.name}</strong>
          {props.account.email ? ` (${props.account.email})` : ""}
        </p>
        {props.error ? (
          <div class="error" role="alert">
            {props.error}
          </div>
        ) : null}
        <form method="post" action="/authorize/consent">
          <input type="hidden" name="pending" value={props.pendingId} />
          {props.pickSites ? (
            <fieldset>
              <legend>Use app on</legend>
              {props.pickSites.map((site) => (
                <label class="option">
                  <input type="radio" name="cloud_id" value={site.cloudId} required />
                  <span class="avatar site" aria-hidden="true">
                    {initials(site.name)}
                  </span>
                  <span>
                    <strong>{site.name}</strong>
                    <br />
                    <span class="muted">{site.url}</span>
                  </span>
                </label>
              ))}
            </fieldset>
          ) : null}
          {props.allSites && props.allSites.length > 0 ? (
            <p>
              This app will have access to all your sites: {props.allSites.map((s) => s.name).join(", ")}.
            </p>
          ) : null}
          <h2>{props.appName} would like to:</h2>
          <ul class="scopes">
            {props.scopes.map((scope) => (
              <li>
                {scopeTitle(scope)}
                <br />
                <code>{scope}</code>
              </li>
            ))}
          </ul>
          <p class="muted">
            By clicking Accept you allow this app to use your information in accordance with its terms of
            service and privacy policy.
          </p>
          <div class="actions">
            <button class="subtle" type="submit" name="answer" value="cancel" formnovalidate>
              Cancel
            </button>
            <button class="primary" type="submit" name="answer" value="accept">
              Accept
            </button>
          </div>
        </form>
      </div>
      <footer class="muted">Foyer Atlassian emulator: nothing you choose here leaves this machine.</footer>
    </Layout>
  );
}
