import { WEBHOOK_EVENT_TYPES, type WebhookAttemptJSON, type WebhookEndpointJSON } from "@foyer/contract";
import type { InstanceContext } from "../instance-context.js";
import { DASHBOARD_PATH } from "../url.js";
import { FieldError, PostForm, Time } from "./components.js";
import { InstanceFrame } from "./instance-frame.js";

export interface WebhooksData {
  endpoints: Array<{ endpoint: WebhookEndpointJSON; attempts: WebhookAttemptJSON[] }>;
}

/** The first characters of a receiver's answer, for a table cell (the message page shows all that was kept). */
const CELL_ANSWER = 200;

function AttemptLog(props: {
  attempts: WebhookAttemptJSON[];
  action: (messageId: string) => string;
  messagePath: (messageId: string) => string;
  csrf: string;
}) {
  if (props.attempts.length === 0) return <p class="muted">No delivery yet.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Event</th>
          <th scope="col">Status</th>
          <th scope="col">Duration</th>
          <th scope="col">Answer</th>
          <th scope="col">
            <span class="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.attempts.map((a) => (
          <tr>
            <td>
              <Time ms={a.attempted_at} />
            </td>
            <td>
              <a href={props.messagePath(a.message_id)} title="Every attempt of this message">
                <code>{a.event_id}</code>
              </a>
            </td>
            <td>{a.status_code ?? <span class="muted">{a.error ?? "—"}</span>}</td>
            <td>{a.duration_ms} ms</td>
            <td>
              <code>{(a.response_body ?? "").slice(0, CELL_ANSWER)}</code>
            </td>
            <td>
              <PostForm action={props.action(a.message_id)} csrf={props.csrf} class="inline">
                <button type="submit" class="link">
                  Replay
                </button>
              </PostForm>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** `<input type="datetime-local">`'s format, in UTC (the dashboard shows every time in UTC). */
export function utcInputValue(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16);
}

/** The instance's webhook endpoints: create, secret, rotate, test, enable/disable, delete, log. */
export function WebhooksPage(props: {
  ctx: InstanceContext;
  data: WebhooksData;
  csrf: string;
  notice?: string;
  /** A refused form: the new endpoint's URL, or (with `replayEndpointId`) a replay's time. */
  error?: { message: string; url?: string; replayEndpointId?: string; since?: string };
  now: number;
}) {
  const { ctx, data, csrf } = props;
  const error = props.error?.replayEndpointId ? undefined : props.error;
  const base = `${DASHBOARD_PATH}/instances/${encodeURIComponent(ctx.instance.id)}/webhook-endpoints`;
  const dev = ctx.instance.environment === "development";
  return (
    <InstanceFrame ctx={ctx} tab="webhooks" title="Webhooks" csrf={csrf} notice={props.notice}>
      {data.endpoints.map(({ endpoint: e, attempts }) => {
        const at = `${base}/${encodeURIComponent(e.id)}`;
        const secretId = `whsec-${e.id}`;
        const sinceId = `since-${e.id}`;
        const replayError = props.error?.replayEndpointId === e.id ? props.error : undefined;
        return (
          <section class="panel" id={`endpoint-${e.id}`} aria-label={`Endpoint ${e.url}`}>
            <div class="spread">
              <h2>
                <code>{e.url}</code>
              </h2>
              <span class={e.enabled ? "badge ok" : "badge"}>{e.enabled ? "Enabled" : "Disabled"}</span>
            </div>
            {e.description ? <p>{e.description}</p> : null}
            {e.disabled_reason ? (
              <p class="notice error" role="alert">
                {e.disabled_reason}
              </p>
            ) : null}
            <p class="hint">
              Events: {e.event_types.length === 0 ? "all" : e.event_types.join(", ")}
              {e.failing_since ? (
                <>
                  {" "}
                  · failing since <Time ms={e.failing_since} />
                </>
              ) : null}
            </p>
            <div class="secret">
              <code id={`${secretId}-masked`}>whsec_{"•".repeat(16)}</code>
              {/* Fetched only when asked (POST with the CSRF token): the secret stays out of the page source. */}
              <code id={secretId} hidden data-reveal-url={`${at}/secret`} />
              <button type="button" data-reveal={secretId} aria-controls={secretId} aria-expanded="false">
                Reveal
              </button>
              <button type="button" data-copy={secretId} aria-label="Copy signing secret">
                Copy
              </button>
            </div>
            <div class="row">
              <PostForm action={`${at}/test`} csrf={csrf} class="inline">
                <button type="submit">Send test event</button>
              </PostForm>
              <PostForm
                action={`${at}/rotate`}
                csrf={csrf}
                class="inline"
                confirm="Rotate the secret? The old one keeps signing for 24 hours, alongside the new one."
              >
                <button type="submit">Rotate secret</button>
              </PostForm>
              <PostForm action={`${at}/${e.enabled ? "disable" : "enable"}`} csrf={csrf} class="inline">
                <button type="submit">{e.enabled ? "Disable" : "Enable"}</button>
              </PostForm>
              <PostForm
                action={`${at}/delete`}
                csrf={csrf}
                class="inline"
                confirm="Delete this endpoint and its log?"
              >
                <button type="submit" class="danger">
                  Delete
                </button>
              </PostForm>
            </div>
            <h3>Delivery log</h3>
            <AttemptLog
              attempts={attempts}
              csrf={csrf}
              action={(m) => `${at}/messages/${encodeURIComponent(m)}/replay`}
              messagePath={(m) => `${at}/messages/${encodeURIComponent(m)}`}
            />
            <PostForm action={`${at}/replay-failed`} csrf={csrf}>
              <label for={sinceId}>Replay every failed message created since (UTC)</label>
              <div class="row">
                <input
                  type="datetime-local"
                  id={sinceId}
                  name="since"
                  required
                  value={replayError?.since ?? utcInputValue(props.now - 24 * 3_600_000)}
                  aria-invalid={replayError ? "true" : undefined}
                  aria-describedby={replayError ? `${sinceId}-error` : undefined}
                />
                <button type="submit">Replay failed</button>
              </div>
              <FieldError id={`${sinceId}-error`} message={replayError?.message} />
            </PostForm>
          </section>
        );
      })}
      <section class="panel" aria-labelledby="new-endpoint">
        <h2 id="new-endpoint">Add an endpoint</h2>
        <p class="hint">
          Foyer POSTs each event, signed (Standard Webhooks; Svix and Clerk verifiers accept it), and retries
          for about a day.{" "}
          {dev
            ? "Development instances may use http://localhost."
            : "Production endpoints need https and a public address."}
        </p>
        <PostForm action={base} csrf={csrf}>
          <label for="webhook-url">URL</label>
          <input
            type="text"
            id="webhook-url"
            name="url"
            class="grow"
            required
            placeholder="https://app.example.com/webhooks/foyer"
            value={error?.url}
            aria-invalid={error ? "true" : undefined}
            aria-describedby={error ? "webhook-url-error" : undefined}
          />
          <FieldError id="webhook-url-error" message={error?.message} />
          <label for="webhook-description">Description</label>
          <input type="text" id="webhook-description" name="description" class="grow" />
          <fieldset>
            <legend>Events (none checked: all)</legend>
            {WEBHOOK_EVENT_TYPES.map((t) => (
              <label class="check">
                <input type="checkbox" name="event_types" value={t} /> <code>{t}</code>
              </label>
            ))}
          </fieldset>
          <p>
            <button type="submit">Add endpoint</button>
          </p>
        </PostForm>
      </section>
    </InstanceFrame>
  );
}
