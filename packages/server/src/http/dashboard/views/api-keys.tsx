import type { SecurityEventCount } from "../../../events/security-events.js";
import type { InstanceContext } from "../instance-context.js";
import { DASHBOARD_PATH } from "../url.js";
import { CopyField, FieldError, PostForm, Time } from "./components.js";
import { InstanceFrame } from "./instance-frame.js";
import { SecurityEventsPanel } from "./security-events.js";

export interface ApiKeysData {
  publishableKey: string;
  jwksUrl: string;
  publicKeyPem: string;
  secretKeys: Array<{ id: string; key: string; created_at: number }>;
  securityEvents: { own: SecurityEventCount[]; unattributed: SecurityEventCount[] };
}

function mask(key: string): string {
  return `${key.slice(0, 8)}${"•".repeat(16)}${key.slice(-4)}`;
}

export function ApiKeysPage(props: {
  ctx: InstanceContext;
  data: ApiKeysData;
  csrf: string;
  notice?: string;
  error?: { field: string; message: string };
  originValue?: string;
}) {
  const { ctx, data, csrf, error } = props;
  const { instance } = ctx;
  // Form targets live beside the page, at /instances/:id/…, not under its api-keys tab.
  const base = `${DASHBOARD_PATH}/instances/${encodeURIComponent(instance.id)}`;
  return (
    <InstanceFrame ctx={ctx} tab="api-keys" title="API keys" csrf={csrf} notice={props.notice}>
      {error && error.field !== "origin" ? (
        <p class="notice error" role="alert">
          {error.message}
        </p>
      ) : null}
      <section class="panel" aria-labelledby="keys-heading">
        <h2 id="keys-heading">Keys</h2>
        <CopyField
          id="publishable-key"
          label="Publishable key"
          value={data.publishableKey}
          hint="For the browser: it names this instance's Frontend API and is safe to publish."
        />
        <h3>Secret keys</h3>
        <p class="hint">
          For your app's servers only (Backend API). Anyone holding one can act as your app: never put it in
          browser code or a repository.
        </p>
        <table>
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.secretKeys.map((k) => {
              const id = `secret-${k.id}`;
              return (
                <tr>
                  <td>
                    <div class="secret">
                      <code id={`${id}-masked`}>{mask(k.key)}</code>
                      {/* Filled in only when asked (POST with the CSRF token): keys stay out of the page source. */}
                      <code
                        id={id}
                        hidden
                        data-reveal-url={`${base}/secret-keys/${encodeURIComponent(k.id)}/reveal`}
                      />
                      <button type="button" data-reveal={id} aria-controls={id} aria-expanded="false">
                        Reveal
                      </button>
                      <button type="button" data-copy={id} aria-label="Copy secret key">
                        Copy
                      </button>
                    </div>
                  </td>
                  <td>
                    <Time ms={k.created_at} />
                  </td>
                  <td>
                    <PostForm
                      action={`${base}/secret-keys/${encodeURIComponent(k.id)}/revoke`}
                      csrf={csrf}
                      confirm="Revoke this secret key? Servers using it stop working at once."
                      class="inline"
                    >
                      <button type="submit" class="danger" disabled={data.secretKeys.length === 1}>
                        Revoke
                      </button>
                    </PostForm>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {data.secretKeys.length === 1 ? (
          <p class="hint">
            An instance keeps at least one secret key: create a new one before revoking this one.
          </p>
        ) : null}
        <PostForm action={`${base}/secret-keys`} csrf={csrf}>
          <p>
            <button type="submit">Create secret key</button>
          </p>
        </PostForm>
      </section>

      <section class="panel" aria-labelledby="urls-heading">
        <h2 id="urls-heading">Frontend API and token verification</h2>
        <CopyField id="frontend-api-url" label="Frontend API URL" value={instance.frontend_api_url} />
        <CopyField
          id="jwks-url"
          label="JWKS URL"
          value={data.jwksUrl}
          hint="Public keys that verify this instance's session tokens."
        />
        <h3>PEM public key</h3>
        <p class="hint">
          For networkless verification: app servers verify session tokens with this key and no call to Foyer.
          It changes when the signing key is rotated.
        </p>
        <pre id="public-key-pem">{data.publicKeyPem}</pre>
        <button type="button" data-copy="public-key-pem">
          Copy PEM
        </button>
      </section>

      <section class="panel" aria-labelledby="origins-heading">
        <h2 id="origins-heading">Allowed origins</h2>
        <p class="hint">
          Exact origins (scheme, host and port, no path) your app runs on. Only these may receive users after
          sign-in and call the Frontend API from the browser.
        </p>
        {instance.allowed_origins.length === 0 ? <p class="muted">None yet.</p> : null}
        <ul>
          {instance.allowed_origins.map((origin) => (
            <li class="row">
              <code>{origin}</code>
              <PostForm action={`${base}/origins/remove`} csrf={csrf} class="inline">
                <input type="hidden" name="origin" value={origin} />
                <button type="submit" class="link" aria-label={`Remove ${origin}`}>
                  Remove
                </button>
              </PostForm>
            </li>
          ))}
        </ul>
        <PostForm action={`${base}/origins`} csrf={csrf}>
          <label for="origin">Add an origin</label>
          <div class="row">
            <input
              type="text"
              id="origin"
              name="origin"
              class="grow"
              placeholder="https://app.example.com"
              value={props.originValue}
              required
              aria-invalid={error?.field === "origin" ? "true" : undefined}
              aria-describedby={error?.field === "origin" ? "origin-error" : undefined}
            />
            <button type="submit">Add origin</button>
          </div>
          <FieldError id="origin-error" message={error?.field === "origin" ? error.message : undefined} />
        </PostForm>
      </section>
      <SecurityEventsPanel own={data.securityEvents.own} unattributed={data.securityEvents.unattributed} />
    </InstanceFrame>
  );
}
