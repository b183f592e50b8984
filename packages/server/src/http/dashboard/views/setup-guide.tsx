/**
 * How to create the Atlassian OAuth app a production instance (or a development instance with
 * custom credentials) needs, in the order Atlassian's developer console asks for things.
 */
export function AtlassianSetupGuide(props: { production: boolean }) {
  return (
    <aside class="panel guide" aria-labelledby="guide-heading">
      <h2 id="guide-heading">Setting up your Atlassian app</h2>
      {props.production ? null : (
        <p class="hint">
          Development instances work without any of this on the shared credentials. Follow these steps when
          you use custom credentials, and for production.
        </p>
      )}
      <ol>
        <li>
          In Atlassian's{" "}
          <a href="https://developer.atlassian.com/console/myapps/" rel="noopener noreferrer" target="_blank">
            developer console
          </a>
          , create an <strong>OAuth 2.0 integration</strong> (3LO), or open an existing one. Its name,
          description and logo (Settings) are optional.
        </li>
        <li>
          Under <strong>Permissions</strong>, add the <strong>User identity API</strong>. It grants{" "}
          <code>read:me</code>, which Foyer needs to read the profile it creates each user from.
        </li>
        <li>
          Under <strong>Authorization</strong>, add OAuth 2.0 (3LO) and paste this page's{" "}
          <strong>Authorized redirect URI</strong> as the Callback URL. Atlassian compares it character for
          character, trailing slash included.
        </li>
        <li>
          Open <strong>Settings</strong>, copy the <strong>Client ID</strong> and <strong>Secret</strong>, and
          paste them into this form.
        </li>
        <li>
          If you added more APIs under Permissions (Jira, Confluence…), add the same scopes here. Atlassian
          only grants scopes that are both enabled in the console and requested by Foyer.
        </li>
        <li>
          Under <strong>Distribution</strong>, choose Edit and set the status to <strong>Sharing</strong>:
          enter your vendor name, a link to your privacy policy and one to your terms (a contact page is
          optional), and answer <strong>Yes</strong> to whether the app stores personal data, since Foyer
          keeps each user's profile. Until then nobody but you can authorize the app.
        </li>
      </ol>
      <h3>Two limits to know</h3>
      <ul>
        <li>
          To connect, a user must have access to at least one Atlassian site (Jira, Confluence…). Foyer
          refuses a consent that grants no site and creates nothing.
        </li>
        <li>
          Each consent authorizes a single site. A user who needs another site consents again; Foyer keeps
          every site the grant covers.
        </li>
      </ul>
    </aside>
  );
}
