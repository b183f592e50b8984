import type { ApprovedClient, RegisteredClientSummary } from "../../../authorization-server/grants.js";
import type { InstanceContext } from "../instance-context.js";
import { PostForm, Time } from "./components.js";

/** A grant as the page lists it: with its client's name. */
export type GrantRow = ApprovedClient & { user_id: string; client_name: string };

/** The registration toggle with the dynamically registered clients, and the grants with Revoke. */
export function Registration(props: {
  base: string;
  ctx: InstanceContext;
  csrf: string;
  clients: RegisteredClientSummary[];
}) {
  const on = props.ctx.instance.oauth_dynamic_client_registration === 1;
  return (
    <section>
      <h2>Dynamic client registration</h2>
      <p>
        {on
          ? "On: any client may register itself (RFC 7591) and then ask users for consent."
          : "Off: only pre-registered clients and clients identified by a metadata document URL."}
      </p>
      <PostForm action={`${props.base}/registration`} csrf={props.csrf}>
        <input type="hidden" name="enabled" value={on ? "off" : "on"} />
        <button type="submit">{on ? "Turn off" : "Turn on"}</button>
      </PostForm>
      {props.clients.length > 0 ? (
        <>
          <h3>Registered dynamically</h3>
          <ul class="plain">
            {props.clients.map((c) => (
              <li>
                <strong>{c.name}</strong> <code class="wrap">{c.client_id}</code>{" "}
                <span class="muted">{c.redirect_uris.join(" ")}</span> <Time ms={c.created_at} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

export function Grants(props: { base: string; grants: GrantRow[]; csrf: string }) {
  return (
    <section>
      <h2>Grants</h2>
      <p class="muted">
        Approvals users gave clients. Revoking one ends its refresh tokens at once and its access tokens at
        their expiry (an hour at most).
      </p>
      {props.grants.length === 0 ? (
        <p class="muted">No grant yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Client</th>
              <th scope="col">Scopes</th>
              <th scope="col">Resources</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.grants.map((g) => (
              <tr>
                <td>
                  <code>{g.user_id}</code>
                </td>
                <td>{g.client_name}</td>
                <td>{g.scopes.join(" ")}</td>
                <td>
                  {Object.entries(g.resources).map(([r, s]) => (
                    <span>
                      <code class="wrap">{r}</code> {s.join(" ")}{" "}
                    </span>
                  ))}
                </td>
                <td>
                  <Time ms={g.created_at} />
                </td>
                <td>
                  <PostForm
                    action={`${props.base}/grants/${encodeURIComponent(g.grant_id)}/revoke`}
                    csrf={props.csrf}
                    class="inline"
                    confirm={`Revoke this grant of ${g.client_name}? Its tokens end.`}
                  >
                    <button
                      type="submit"
                      class="link"
                      aria-label={`Revoke the grant of ${g.client_name} to ${g.user_id}`}
                    >
                      Revoke
                    </button>
                  </PostForm>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
