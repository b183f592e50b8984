import type { WebhookAttemptJSON, WebhookEndpointJSON } from "@foyer/contract";
import { type InstanceContext, instancePath } from "../instance-context.js";
import { DASHBOARD_PATH } from "../url.js";
import { PostForm, Time } from "./components.js";
import { InstanceFrame } from "./instance-frame.js";

const TRIGGERS: Record<WebhookAttemptJSON["trigger"], string> = {
  scheduled: "scheduled",
  manual: "replay",
  test: "test event",
};

/**
 * Every attempt of one message to one endpoint, oldest first: when, the answer's status (or why
 * none came), how long it took, and the receiver's answer as the log kept it (truncated).
 */
export function WebhookMessagePage(props: {
  ctx: InstanceContext;
  endpoint: WebhookEndpointJSON;
  messageId: string;
  attempts: WebhookAttemptJSON[];
  csrf: string;
  notice?: string;
}) {
  const { ctx, endpoint, attempts, csrf } = props;
  const at = `${DASHBOARD_PATH}/instances/${encodeURIComponent(ctx.instance.id)}/webhook-endpoints/${encodeURIComponent(endpoint.id)}`;
  const eventId = attempts[0]?.event_id;
  return (
    <InstanceFrame ctx={ctx} tab="webhooks" title="Webhook message" csrf={csrf} notice={props.notice}>
      <p>
        <a href={`${instancePath(ctx.instance.id, "webhooks")}#endpoint-${encodeURIComponent(endpoint.id)}`}>
          ← Delivery log of <code>{endpoint.url}</code>
        </a>
      </p>
      <section class="panel" aria-labelledby="message-title">
        <div class="spread">
          <h2 id="message-title">
            Message <code>{props.messageId}</code>
          </h2>
          <PostForm action={`${at}/messages/${encodeURIComponent(props.messageId)}/replay`} csrf={csrf}>
            <input type="hidden" name="return_to" value="message" />
            <button type="submit">Replay</button>
          </PostForm>
        </div>
        <dl class="facts">
          <dt>Event</dt>
          <dd class="mono">{eventId}</dd>
          <dt>Attempts</dt>
          <dd>{attempts.length}</dd>
        </dl>
        <table>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Status</th>
              <th scope="col">Duration</th>
              <th scope="col">Trigger</th>
              <th scope="col">Answer (truncated)</th>
            </tr>
          </thead>
          <tbody>
            {attempts.map((a) => (
              <tr>
                <td>
                  <Time ms={a.attempted_at} />
                </td>
                <td>{a.status_code ?? <span class="muted">{a.error ?? "—"}</span>}</td>
                <td>{a.duration_ms} ms</td>
                <td>{TRIGGERS[a.trigger]}</td>
                <td>{a.response_body ? <code>{a.response_body}</code> : <span class="muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </InstanceFrame>
  );
}
