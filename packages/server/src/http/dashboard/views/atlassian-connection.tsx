import type { AtlassianConnection } from "../../../connections/atlassian-connection.js";
import { OFFLINE_ACCESS, READ_ME } from "../../../providers/atlassian/scopes.js";
import { type InstanceContext, instancePath } from "../instance-context.js";
import { CopyField, FieldError, PostForm } from "./components.js";
import { LastErrorNotice } from "./connection-error.js";
import { InstanceFrame } from "./instance-frame.js";
import { AtlassianSetupGuide } from "./setup-guide.js";

/** What the form shows: the stored settings, or what the operator just submitted. */
export interface ConnectionFormValues {
  enabled: boolean;
  authenticatable: boolean;
  useCustomCredentials: boolean;
  clientId: string;
  scopes: string[];
  addScopes: string;
  /** The settings' version the form was read at, sent back in a hidden field. */
  version: number;
}

export interface SharedCredentials {
  available: boolean;
  emulated: boolean;
}

export interface ConnectionFormError {
  field: string | undefined;
  message: string;
}

function SharedNote(props: { shared: SharedCredentials }) {
  if (!props.shared.available) {
    return (
      <p class="notice info">
        This deployment has no shared Atlassian credentials: turn on custom credentials to use Atlassian.
      </p>
    );
  }
  return (
    <p class="hint">
      Off: this development instance uses the deployment's shared credentials and shared redirect URI, and
      nothing needs setting up.{" "}
      <span data-shared-warning>
        Every development instance of this deployment shares that one Atlassian app and callback: an
        authorization code leaked from one development instance can be redeemed through another unless
        Atlassian enforces PKCE, so keep real users off development instances. Production instances never
        share: each has its own Atlassian app and redirect URI.
      </span>{" "}
      {props.shared.emulated ? (
        <strong>
          The shared credentials are Foyer's built-in Atlassian emulator: sign-ins use its demo accounts and
          sites, not real Atlassian.
        </strong>
      ) : null}
    </p>
  );
}

function Check(props: {
  id: string;
  checked: boolean;
  title: string;
  hint: string;
  disabled?: boolean;
  controls?: string;
}) {
  return (
    <label class="check" for={props.id}>
      <input
        type="checkbox"
        id={props.id}
        name={props.id}
        checked={props.checked}
        disabled={props.disabled}
        data-controls-fieldsets={props.controls}
        aria-describedby={`${props.id}-error`}
      />
      <span>
        <strong>{props.title}</strong>
        <span class="hint">{props.hint}</span>
      </span>
    </label>
  );
}

export function AtlassianConnectionPage(props: {
  ctx: InstanceContext;
  connection: AtlassianConnection;
  ownRedirectUri: string;
  shared: SharedCredentials;
  values: ConnectionFormValues;
  csrf: string;
  notice?: string;
  error?: ConnectionFormError;
}) {
  const { ctx, connection, values, error, csrf } = props;
  const production = ctx.instance.environment === "production";
  const custom = production || values.useCustomCredentials;
  const errorFor = (name: string) => (error?.field === name ? error.message : undefined);
  const others = values.scopes.filter((s) => s !== READ_ME && s !== OFFLINE_ACCESS);
  return (
    <InstanceFrame ctx={ctx} tab="sso" title="Atlassian" csrf={csrf} notice={props.notice}>
      <div class="grid">
        <section class="panel" aria-labelledby="atlassian-heading">
          <div class="spread">
            <h2 id="atlassian-heading">Atlassian</h2>
            <span class={connection.enabled ? "badge ok" : "badge off"}>
              {connection.enabled ? "Enabled" : "Disabled"}
            </span>
          </div>
          <LastErrorNotice connection={connection} />
          {error ? (
            <div class="notice error" role="alert">
              Not saved: {error.message}
              {error.field ? (
                <>
                  {" "}
                  <a href={`#${error.field === "scopes" ? "add_scopes" : error.field}`}>Go to the field</a>
                </>
              ) : null}
            </div>
          ) : null}
          <PostForm action={instancePath(ctx.instance.id, "sso/atlassian")} csrf={csrf}>
            <input type="hidden" name="version" value={String(values.version)} />
            <Check
              id="enabled"
              checked={values.enabled}
              title="Enable Sign in with Atlassian"
              hint="Lets users of this instance use their Atlassian account."
            />
            <FieldError id="enabled-error" message={errorFor("enabled")} />
            <Check
              id="authenticatable"
              checked={values.authenticatable}
              title="Enable for sign-up and sign-in"
              hint="Off: connect-only. Signed-in users can link Atlassian to their account (for API access), but nobody signs up or signs in with it."
            />
            <Check
              id="use_custom_credentials"
              checked={custom}
              disabled={production}
              controls="fieldset[data-needs-custom]"
              title="Use custom credentials"
              hint={
                production
                  ? "Always on for production: production instances use your own Atlassian OAuth app."
                  : "Use your own Atlassian OAuth app's Client ID and Secret."
              }
            />
            {production ? null : <SharedNote shared={props.shared} />}
            <FieldError id="use_custom_credentials-error" message={errorFor("use_custom_credentials")} />

            <fieldset data-needs-custom disabled={!custom}>
              <legend>Credentials</legend>
              <label for="client_id">Client ID</label>
              <input
                type="text"
                id="client_id"
                name="client_id"
                value={values.clientId}
                autocomplete="off"
                class="mono"
                aria-invalid={errorFor("client_id") ? "true" : undefined}
                aria-describedby="client_id-error"
              />
              <FieldError id="client_id-error" message={errorFor("client_id")} />
              <label for="client_secret">Client Secret</label>
              <input
                type="password"
                id="client_secret"
                name="client_secret"
                autocomplete="new-password"
                placeholder={connection.clientSecretSet ? "Set: type a new one to replace it" : "Not set"}
                aria-invalid={errorFor("client_secret") ? "true" : undefined}
                aria-describedby="client_secret-status client_secret-error"
              />
              <p class="hint" id="client_secret-status">
                {connection.clientSecretSet ? (
                  <span class="badge ok">Secret set</span>
                ) : (
                  <span class="badge warn">No secret set</span>
                )}{" "}
                Write-only: Foyer stores it encrypted and never shows it again. Leave empty to keep the
                current one.
              </p>
              <FieldError id="client_secret-error" message={errorFor("client_secret")} />
            </fieldset>

            <CopyField
              id="redirect_uri"
              label="Authorized redirect URI"
              value={connection.redirectUri}
              hint={
                custom
                  ? "Paste this into your Atlassian app as its Callback URL."
                  : `Shared by every development instance on the shared credentials. With custom credentials it becomes ${props.ownRedirectUri}.`
              }
            />

            <fieldset data-needs-custom disabled={!custom}>
              <legend>Scopes</legend>
              <input type="hidden" name="scopes_present" value="1" />
              {custom ? null : <p class="hint">Scopes can only be changed with custom credentials.</p>}
              <div class="chips">
                <label class="chip" for="scope-read-me">
                  <input type="checkbox" id="scope-read-me" checked disabled />
                  <code>{READ_ME}</code> <span class="badge">required</span>
                </label>
              </div>
              <label class="check" for="offline_access">
                <input
                  type="checkbox"
                  id="offline_access"
                  name="offline_access"
                  checked={values.scopes.includes(OFFLINE_ACCESS)}
                />
                <span>
                  <strong>
                    <code>{OFFLINE_ACCESS}</code> (refresh tokens)
                  </strong>
                  <span class="hint">
                    Without it Atlassian issues no refresh token: your app's access to a user's Atlassian data
                    ends when the access token expires, after an hour, and the user must consent again.
                  </span>
                </span>
              </label>
              {others.length > 0 ? (
                <div class="chips">
                  {others.map((scope) => (
                    <label class="chip">
                      <input type="checkbox" name="scope" value={scope} checked />
                      <code>{scope}</code>
                    </label>
                  ))}
                </div>
              ) : null}
              <label for="add_scopes">Add scopes</label>
              <input
                type="text"
                id="add_scopes"
                name="add_scopes"
                value={values.addScopes}
                class="mono"
                placeholder="read:jira-work read:confluence-content.all"
                aria-invalid={errorFor("scopes") ? "true" : undefined}
                aria-describedby="add_scopes-hint scopes-error"
              />
              <p class="hint" id="add_scopes-hint">
                Separated by spaces. They must also be enabled on your app in Atlassian's console.
              </p>
              <FieldError id="scopes-error" message={errorFor("scopes")} />
            </fieldset>
            <p>
              <button type="submit" class="primary">
                Save
              </button>
            </p>
          </PostForm>
        </section>
        <AtlassianSetupGuide production={production} />
      </div>
    </InstanceFrame>
  );
}

export function SsoConnectionsPage(props: {
  ctx: InstanceContext;
  connection: AtlassianConnection;
  csrf: string;
}) {
  const { ctx, connection } = props;
  return (
    <InstanceFrame ctx={ctx} tab="sso" title="SSO connections" csrf={props.csrf}>
      <section class="panel">
        <h2>SSO connections</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Provider</th>
              <th scope="col">Status</th>
              <th scope="col">Used for</th>
              <th scope="col">Credentials</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td>
                <a href={instancePath(ctx.instance.id, "sso/atlassian")}>Atlassian</a>
              </td>
              <td>
                <span class={connection.enabled ? "badge ok" : "badge off"}>
                  {connection.enabled ? "Enabled" : "Disabled"}
                </span>{" "}
                {connection.lastError ? <span class="badge danger">Atlassian refused it</span> : null}
              </td>
              <td>{connection.authenticatable ? "Sign-up and sign-in" : "Connect only"}</td>
              <td>{connection.useCustomCredentials ? "Custom" : "Shared"}</td>
            </tr>
          </tbody>
        </table>
      </section>
    </InstanceFrame>
  );
}
