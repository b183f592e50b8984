import type { ApplicationTable } from "../../../db/schema.js";
import type { Instance } from "../../../instances/instances.js";
import { applicationPath, instancePath } from "../instance-context.js";
import { DASHBOARD_PATH } from "../url.js";
import { FieldError, Notice, PostForm, Time } from "./components.js";
import { Layout } from "./layout.js";

export interface ApplicationRow {
  application: ApplicationTable;
  instances: Instance[];
}

function EnvironmentLinks(props: { row: ApplicationRow }) {
  const { application, instances } = props.row;
  const hasProduction = instances.some((i) => i.environment === "production");
  return (
    <div class="row">
      {instances.map((i) => (
        <a class="button" href={instancePath(i.id)}>
          {i.environment === "production" ? "Production" : "Development"}
        </a>
      ))}
      {hasProduction ? null : (
        <a class="button" href={applicationPath(application.id, "/production")}>
          Create production instance
        </a>
      )}
    </div>
  );
}

export function ApplicationsPage(props: {
  rows: ApplicationRow[];
  csrf: string;
  notice?: string;
  error?: { field: string; message: string; appId?: string };
}) {
  const { rows, csrf, error } = props;
  const createError = error && !error.appId ? error.message : undefined;
  return (
    <Layout title="Applications" csrf={csrf}>
      <h1>Applications</h1>
      <p class="lede">
        Each application has a development instance and, when you are ready, a production instance.
      </p>
      {props.notice ? <Notice kind="ok">{props.notice}</Notice> : null}
      <section class="panel" aria-labelledby="create-heading">
        <h2 id="create-heading">Create an application</h2>
        <PostForm action={`${DASHBOARD_PATH}/applications`} csrf={csrf}>
          <label for="new-app-name">Name</label>
          <div class="row">
            <input
              type="text"
              id="new-app-name"
              name="name"
              required
              maxlength={100}
              class="grow"
              aria-invalid={createError ? "true" : undefined}
              aria-describedby={createError ? "new-app-name-error" : undefined}
            />
            <button type="submit" class="primary">
              Create application
            </button>
          </div>
          <FieldError id="new-app-name-error" message={createError} />
        </PostForm>
      </section>
      {rows.length === 0 ? <p class="muted">No applications yet.</p> : null}
      {rows.map((row) => {
        const { application } = row;
        const renameId = `rename-${application.id}`;
        const renameError = error?.appId === application.id ? error.message : undefined;
        return (
          <section class="panel" aria-label={application.name}>
            <div class="spread">
              <div>
                <h2>{application.name}</h2>
                <p class="muted">
                  <code>{application.id}</code> · created <Time ms={application.created_at} />
                </p>
              </div>
              <EnvironmentLinks row={row} />
            </div>
            <details open={renameError ? true : undefined}>
              <summary>Rename or delete</summary>
              <PostForm action={applicationPath(application.id, "/rename")} csrf={csrf}>
                <label for={renameId}>New name</label>
                <div class="row">
                  <input
                    type="text"
                    id={renameId}
                    name="name"
                    value={application.name}
                    required
                    maxlength={100}
                    class="grow"
                    aria-invalid={renameError ? "true" : undefined}
                  />
                  <button type="submit">Rename</button>
                  <a class="button danger" href={applicationPath(application.id, "/delete")}>
                    Delete…
                  </a>
                </div>
                <FieldError id={`${renameId}-error`} message={renameError} />
              </PostForm>
            </details>
          </section>
        );
      })}
    </Layout>
  );
}

export function DeleteApplicationPage(props: { row: ApplicationRow; csrf: string }) {
  const { application, instances } = props.row;
  return (
    <Layout title={`Delete ${application.name}`} csrf={props.csrf}>
      <div class="panel">
        <h1>Delete “{application.name}”?</h1>
        <p>
          This deletes its {instances.length === 2 ? "development and production instances" : "instance"} with
          every user, session, key and setting they hold. Apps using its keys stop working at once. This
          cannot be undone.
        </p>
        <div class="row">
          <PostForm action={applicationPath(application.id, "/delete")} csrf={props.csrf} class="inline">
            <button type="submit" class="danger">
              Delete application
            </button>
          </PostForm>
          <a class="button" href={DASHBOARD_PATH}>
            Cancel
          </a>
        </div>
      </div>
    </Layout>
  );
}

export function CreateProductionPage(props: {
  application: ApplicationTable;
  csrf: string;
  value?: string;
  error?: string;
}) {
  return (
    <Layout title="Create production instance" csrf={props.csrf}>
      <div class="panel">
        <h1>Create a production instance for “{props.application.name}”</h1>
        <p class="lede">
          Production instances get <code>pk_live_</code> / <code>sk_live_</code> keys and must use your own
          Atlassian OAuth app: Foyer's shared development credentials never serve production users.
        </p>
        <PostForm action={applicationPath(props.application.id, "/production")} csrf={props.csrf}>
          <label for="frontend_api_url">Frontend API URL (optional)</label>
          <input
            type="url"
            id="frontend_api_url"
            name="frontend_api_url"
            value={props.value}
            placeholder="https://clerk.example.com"
            aria-describedby="frontend_api_url-hint"
            aria-invalid={props.error ? "true" : undefined}
          />
          <p class="hint" id="frontend_api_url-hint">
            An https origin on your own domain that points at this Foyer server (plain http only on loopback
            hosts). Leave it empty to serve the Frontend API under this server's URL.
          </p>
          <FieldError id="frontend_api_url-error" message={props.error} />
          <p class="row">
            <button type="submit" class="primary">
              Create production instance
            </button>
            <a class="button" href={DASHBOARD_PATH}>
              Cancel
            </a>
          </p>
        </PostForm>
      </div>
    </Layout>
  );
}
