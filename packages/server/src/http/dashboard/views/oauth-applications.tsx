import type { RegisteredClientSummary } from "../../../authorization-server/grants.js";
import type { oauthApplicationJson } from "../../../authorization-server/oauth-applications.js";
import type { InstanceContext } from "../instance-context.js";
import { instancePath } from "../instance-context.js";
import { CopyField, FieldError, PostForm } from "./components.js";
import { InstanceFrame } from "./instance-frame.js";
import { type GrantRow, Grants, Registration } from "./oauth-grants.js";

type OAuthApplication = ReturnType<typeof oauthApplicationJson>;

export interface OAuthPageData {
  applications: OAuthApplication[];
  dynamicClients: RegisteredClientSummary[];
  grants: GrantRow[];
}

/** What the operator typed in a refused form, put back with the reason in words. */
export interface OAuthFormError {
  form: "application" | "resource";
  message: string;
  values: Record<string, string>;
}

function Discovery(props: { issuer: string }) {
  const { issuer } = props;
  return (
    <section>
      <h2>Discovery</h2>
      <p class="muted">Clients (MCP clients among them) find the authorization server from these.</p>
      <CopyField id="as-issuer" label="Issuer" value={issuer} />
      <CopyField
        id="as-metadata"
        label="Authorization server metadata (RFC 8414)"
        value={`${issuer}/.well-known/oauth-authorization-server`}
      />
      <CopyField
        id="as-openid"
        label="OpenID configuration"
        value={`${issuer}/.well-known/openid-configuration`}
      />
    </section>
  );
}

function CreatedSecret(props: { app: OAuthApplication }) {
  return (
    <div class="notice ok" role="status">
      <p>
        Client <strong>{props.app.name}</strong> created. Copy its secret now: Foyer keeps only a hash and
        shows it this once.
      </p>
      <CopyField id="created-client-id" label="Client ID" value={props.app.client_id} />
      {props.app.client_secret ? (
        <CopyField id="created-client-secret" label="Client secret" value={props.app.client_secret} />
      ) : null}
    </div>
  );
}

function Applications(props: {
  base: string;
  apps: OAuthApplication[];
  csrf: string;
  error?: OAuthFormError;
}) {
  const err = props.error?.form === "application" ? props.error : undefined;
  const v = err?.values ?? {};
  return (
    <section>
      <h2>Pre-registered clients</h2>
      {props.apps.length === 0 ? <p class="muted">No client registered yet.</p> : null}
      {props.apps.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Client ID</th>
              <th scope="col">Type</th>
              <th scope="col">Redirect URIs</th>
              <th scope="col">Scopes</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.apps.map((a) => (
              <tr>
                <td>{a.name}</td>
                <td>
                  <code class="wrap">{a.client_id}</code>
                </td>
                <td>{a.public ? "Public" : "Confidential"}</td>
                <td>
                  {a.redirect_uris.map((u) => (
                    <code class="wrap">{u} </code>
                  ))}
                </td>
                <td>{a.scopes}</td>
                <td>
                  <PostForm
                    action={`${props.base}/applications/${encodeURIComponent(a.id)}/delete`}
                    csrf={props.csrf}
                    class="inline"
                    confirm={`Delete ${a.name}? Every approval of it and every token issued to it ends.`}
                  >
                    <button type="submit" class="link" aria-label={`Delete ${a.name}`}>
                      Delete
                    </button>
                  </PostForm>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <h3>Register a client</h3>
      <PostForm action={`${props.base}/applications`} csrf={props.csrf}>
        <label for="oa-name">Name (shown on the consent page)</label>
        <input type="text" id="oa-name" name="name" required maxlength={100} value={v.name} />
        <label for="oa-redirect-uris">Redirect URIs (one a line)</label>
        <textarea
          id="oa-redirect-uris"
          name="redirect_uris"
          rows={3}
          required
          placeholder="https://app.example.com/callback"
          aria-invalid={err ? "true" : undefined}
          aria-describedby={err ? "oa-error" : undefined}
        >
          {v.redirect_uris ?? ""}
        </textarea>
        <label for="oa-scopes">OpenID scopes it may ask for</label>
        <input
          type="text"
          id="oa-scopes"
          name="scopes"
          value={v.scopes ?? "openid profile email offline_access"}
        />
        <label class="check">
          <input type="checkbox" name="public" checked={v.public === "on"} /> Public client (a SPA, native or
          CLI app: no secret, PKCE only)
        </label>
        <FieldError id="oa-error" message={err?.message} />
        <button type="submit">Register client</button>
      </PostForm>
    </section>
  );
}

function Resources(props: { base: string; ctx: InstanceContext; csrf: string; error?: OAuthFormError }) {
  const { instance } = props.ctx;
  const err = props.error?.form === "resource" ? props.error : undefined;
  const v = err?.values ?? {};
  return (
    <section>
      <h2>Resources</h2>
      <p class="muted">
        The APIs (MCP servers) access tokens are issued for: a token's audience is one of these URLs, and it
        carries only that resource's scopes.
      </p>
      {instance.oauth_resources.length === 0 ? <p class="muted">No resource registered.</p> : null}
      <ul class="plain">
        {instance.oauth_resources.map((r) => (
          <li class="row">
            <span class="grow">
              <strong>{r.name}</strong> <code class="wrap">{r.resource}</code>{" "}
              <span class="muted">{r.scopes.join(" ") || "no scopes"}</span>
            </span>
            <PostForm action={`${props.base}/resources/remove`} csrf={props.csrf} class="inline">
              <input type="hidden" name="resource" value={r.resource} />
              <button type="submit" class="link" aria-label={`Remove ${r.resource}`}>
                Remove
              </button>
            </PostForm>
          </li>
        ))}
      </ul>
      <PostForm action={`${props.base}/resources`} csrf={props.csrf}>
        <label for="res-url">Resource URL</label>
        <input
          type="text"
          id="res-url"
          name="resource"
          required
          placeholder="https://mcp.example.com/mcp"
          value={v.resource}
          aria-invalid={err ? "true" : undefined}
          aria-describedby={err ? "res-error" : undefined}
        />
        <label for="res-name">Name (shown on the consent page)</label>
        <input type="text" id="res-name" name="name" required maxlength={100} value={v.name} />
        <label for="res-scopes">Scopes (space-separated)</label>
        <input
          type="text"
          id="res-scopes"
          name="scopes"
          placeholder="issues:read issues:write"
          value={v.scopes}
        />
        <FieldError id="res-error" message={err?.message} />
        <button type="submit">Add resource</button>
      </PostForm>
    </section>
  );
}

/** The instance's authorization server: discovery, clients, resources, registration, grants. */
export function OAuthApplicationsPage(props: {
  ctx: InstanceContext;
  data: OAuthPageData;
  csrf: string;
  notice?: string | undefined;
  error?: OAuthFormError | undefined;
  created?: OAuthApplication | undefined;
}) {
  const base = instancePath(props.ctx.instance.id, "oauth");
  return (
    <InstanceFrame
      ctx={props.ctx}
      tab="oauth"
      title="OAuth applications"
      csrf={props.csrf}
      notice={props.notice}
    >
      {props.created ? <CreatedSecret app={props.created} /> : null}
      <Discovery issuer={props.ctx.instance.frontend_api_url} />
      <Applications base={base} apps={props.data.applications} csrf={props.csrf} error={props.error} />
      <Resources base={base} ctx={props.ctx} csrf={props.csrf} error={props.error} />
      <Registration base={base} ctx={props.ctx} csrf={props.csrf} clients={props.data.dynamicClients} />
      <Grants base={base} grants={props.data.grants} csrf={props.csrf} />
    </InstanceFrame>
  );
}
