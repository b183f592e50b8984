import type { SecurityEventCount, SecurityEventKind } from "../../../events/security-events.js";
import { Time } from "./components.js";

const LABELS: Record<SecurityEventKind, string> = {
  oauth_state_invalid: "Forged, replayed or expired sign-in state",
  oauth_binding_mismatch: "Sign-in completed from another browser (binding mismatch)",
  oauth_foreign_instance: "Another instance's sign-in code sent here",
  stopped_user_sign_in: "Banned or locked user tried to sign in",
  secret_key_guessing: "Wrong secret keys throttled",
  platform_token_guessing: "Wrong platform tokens throttled (Platform API or dashboard sign-in)",
  refresh_token_reuse: "Grants killed right after a rotation (possible refresh-token reuse)",
};

/** The instance's security event counters, and those no instance could be told for. */
export function SecurityEventsPanel(props: {
  own: SecurityEventCount[];
  unattributed: SecurityEventCount[];
}) {
  const rows = (counts: SecurityEventCount[]) =>
    counts.map((e) => (
      <tr data-security-event={e.kind}>
        <td>{LABELS[e.kind] ?? e.kind}</td>
        <td class="mono">{e.count}</td>
        <td>
          <Time ms={e.lastAt} />
        </td>
      </tr>
    ));
  return (
    <section class="panel" aria-labelledby="security-events-heading">
      <h2 id="security-events-heading">Security events</h2>
      <p class="hint">
        Attempts a working app never makes. Each is also one log line with <code>"event":"security"</code>.
      </p>
      {props.own.length === 0 ? <p class="muted">None for this instance.</p> : null}
      <table>
        <tbody>{rows(props.own)}</tbody>
      </table>
      {props.unattributed.length > 0 ? (
        <>
          <h3>On this deployment, instance unknown</h3>
          <table>
            <tbody>{rows(props.unattributed)}</tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}
