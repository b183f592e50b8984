import type { SecurityEventCount } from "../../../events/security-events.js";
import type { SecretKey } from "../../../instances/secret-keys.js";
import type { InstanceContext } from "../instance-context.js";
import { DASHBOARD_PATH } from "../url.js";
import { CopyField, PostForm, Time } from "./components.js";
import { InstanceFrame } from "./instance-frame.js";
import { SecurityEventsPanel } from "./security-events.js";

export interface ApiKeysData {
  publishableKey: string;
  jwksUrl: string;
  publicKeyPem: string;
  secretKeys: SecretKey[];
  securityEvents: { own: SecurityEventCount[]; unattributed: SecurityEventCount[] };
}

function mask(key: SecretKey): string {
  return `${key.keyPrefix}${"•".repeat(12)}${key.last4}`;
}

/** A key just created: the one time a production key is seen whole. */
function CreatedKey(props: { secretKey: SecretKey; production: boolean }) {
  return (
    <section class="panel" aria-labelledby="new-key-heading">
      <h2 id="new-key-heading">New secret key</h2>
      <CopyField
        id="new-secret-key"
        label="Secret key"
        value={props.secretKey.key ?? ""}
        hint={
          props.production
            ? "Copy it now and store it in your server's secret store: Foyer shows a production key only this once and keeps no copy. If it is lost, create a new key and revoke this one."
            : "A development key: you can reveal it again below."
        }
      />
    </section>
  );
}

export function ApiKeysPage(props: {
  ctx: InstanceContext;
  data: ApiKeysData;
  csrf: string;
  notice?: string;
  error?: { field: string; message: string };
  /** Set in the answer to the form that created a key (or the production instance). */
  createdKey?: SecretKey;
}) {
  const { ctx, data, csrf, error } = props;
  const { instance } = ctx;
  // Form targets live beside the page, at /instances/:id/…, not under its api-keys tab.
  const base = `${DASHBOARD_PATH}/instances/${encodeURIComponent(instance.id)}`;
  return (
    <InstanceFrame ctx={ctx} tab="api-keys" title="API keys" csrf={csrf} notice={props.notice}>
      {error ? (
        <p class="notice error" role="alert">
          {error.message}
        </p>
      ) : null}
      {props.createdKey ? (
        <CreatedKey secretKey={props.createdKey} production={instance.environment === "production"} />
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
                      <code id={`${id}-masked`}>{mask(k)}</code>
                      {k.key !== undefined ? (
                        <>
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
                        </>
                      ) : (
                        <span class="hint">Shown once, when created</span>
                      )}
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
        <div class="row">
          <button type="button" data-copy="public-key-pem">
            Copy PEM
          </button>
          <PostForm
            action={`${base}/signing-keys/rotate`}
            csrf={csrf}
            confirm="Rotate the signing key? New session tokens are signed with a new key at once. App servers that verify with the PEM key above must fetch the new one; the JWKS keeps the old key for 24 hours."
            class="inline"
          >
            <button type="submit">Rotate signing key</button>
          </PostForm>
        </div>
        <p class="hint">
          Rotate when the key may have leaked. Tokens signed before keep verifying through the JWKS for 24
          hours.
        </p>
      </section>

      <SecurityEventsPanel own={data.securityEvents.own} unattributed={data.securityEvents.unattributed} />
    </InstanceFrame>
  );
}
