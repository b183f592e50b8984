import type { AtlassianConnection } from "../../../connections/atlassian-connection.js";
import { connectionErrorMessage } from "../../../connections/connection-errors.js";
import { Time } from "./components.js";

/** What Atlassian last refused about this connection, and what to do; gone after the next success. */
export function LastErrorNotice(props: { connection: AtlassianConnection }) {
  const { lastError, redirectUri, updatedAt } = props.connection;
  if (!lastError) return null;
  return (
    <div class="notice error" data-last-error={lastError.code}>
      <strong>Atlassian refused this connection</strong> (<Time ms={lastError.at} />
      {lastError.detail ? <span class="mono"> · {lastError.detail}</span> : null}).{" "}
      {connectionErrorMessage(lastError, redirectUri)}
      {updatedAt > lastError.at ? (
        <span class="hint">
          {" "}
          The settings were saved since: this clears at the next sign-in or token refresh Atlassian accepts.
        </span>
      ) : null}
    </div>
  );
}
