import { type InstanceContext, instancePath } from "../instance-context.js";
import type { SessionView, UserView } from "../user-admin.js";
import { formatTime, PostForm, Time } from "./components.js";
import { InstanceFrame } from "./instance-frame.js";
import { displayName } from "./users.js";

/** A site URL as a link only when it is http(s): Atlassian data never becomes a javascript: link. */
function SiteLink(props: { url: string; name: string }) {
  let safe: string | undefined;
  try {
    const u = new URL(props.url);
    if (u.protocol === "https:" || u.protocol === "http:") safe = u.href;
  } catch {
    safe = undefined;
  }
  return safe ? (
    <a href={safe} rel="noopener noreferrer" target="_blank">
      {props.name}
    </a>
  ) : (
    <span>{props.name}</span>
  );
}

type Account = UserView["external_accounts"][number];

function AtlassianAccount(props: { account: Account; now: number }) {
  const { account, now } = props;
  const expires = account.access_token_expires_at;
  return (
    <div>
      <dl class="facts">
        <dt>Account id</dt>
        <dd class="mono">{account.provider_user_id}</dd>
        <dt>Name on Atlassian</dt>
        <dd>{[account.first_name, account.last_name].filter(Boolean).join(" ") || "—"}</dd>
        <dt>Email on Atlassian</dt>
        <dd>{account.email_address || <span class="muted">hidden</span>}</dd>
        <dt>Token status</dt>
        <dd>
          {account.status === "active" ? (
            <span class="badge ok">Active</span>
          ) : (
            <span class="badge danger">Needs reauthorization</span>
          )}
        </dd>
        <dt>Access token expires</dt>
        <dd>
          {expires ? (
            <>
              {formatTime(expires)} {expires <= now ? <span class="badge warn">expired</span> : null}
            </>
          ) : (
            "—"
          )}
        </dd>
        <dt>Approved scopes</dt>
        <dd>
          <div class="chips">
            {account.approved_scopes
              .split(" ")
              .filter(Boolean)
              .map((s) => (
                <code class="chip">{s}</code>
              ))}
          </div>
        </dd>
      </dl>
      <h3>Sites</h3>
      {account.sites.length === 0 ? <p class="muted">No site.</p> : null}
      <ul>
        {account.sites.map((site) => (
          <li>
            <SiteLink url={site.url} name={site.name} /> <span class="muted mono">{site.id}</span>
            {site.id === account.last_added_site_id ? <span class="badge">latest consent</span> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function UserPage(props: {
  ctx: InstanceContext;
  user: UserView;
  sessions: SessionView[];
  now: number;
  csrf: string;
  notice?: string;
}) {
  const { ctx, user, sessions, csrf } = props;
  const base = instancePath(ctx.instance.id, `users/${encodeURIComponent(user.id)}`);
  const live = sessions.filter((s) => s.status === "active");
  return (
    <InstanceFrame ctx={ctx} tab="users" title={displayName(user)} csrf={csrf} notice={props.notice}>
      <p>
        <a href={instancePath(ctx.instance.id, "users")}>← All users</a>
      </p>
      <div class="grid">
        <div>
          <section class="panel" aria-labelledby="profile-heading">
            <h2 id="profile-heading">{displayName(user)}</h2>
            <dl class="facts">
              <dt>User id</dt>
              <dd class="mono">{user.id}</dd>
              <dt>Username</dt>
              <dd>{user.username ?? "—"}</dd>
              <dt>Locale</dt>
              <dd>{user.locale ?? "—"}</dd>
              <dt>Created</dt>
              <dd>
                <Time ms={user.created_at} />
              </dd>
              <dt>Last sign-in</dt>
              <dd>
                <Time ms={user.last_sign_in_at} />
              </dd>
            </dl>
            <h3>Email addresses</h3>
            {user.email_addresses.length === 0 ? <p class="muted">None (Atlassian hid the email).</p> : null}
            <ul>
              {user.email_addresses.map((e) => (
                <li>
                  {e.email_address}{" "}
                  {e.verification.status === "verified" ? (
                    <span class="badge ok">verified</span>
                  ) : (
                    <span class="badge warn">unverified</span>
                  )}
                  {e.id === user.primary_email_address_id ? <span class="badge">primary</span> : null}
                </li>
              ))}
            </ul>
          </section>
          <section class="panel" aria-labelledby="atlassian-account-heading">
            <h2 id="atlassian-account-heading">Atlassian account</h2>
            {user.external_accounts.length === 0 ? <p class="muted">Not connected.</p> : null}
            {user.external_accounts.map((account) => (
              <AtlassianAccount account={account} now={props.now} />
            ))}
          </section>
        </div>
        <div>
          <section class="panel" aria-labelledby="sessions-heading">
            <div class="spread">
              <h2 id="sessions-heading">Sessions</h2>
              {live.length > 0 ? (
                <PostForm
                  action={`${base}/sessions/revoke-all`}
                  csrf={csrf}
                  confirm="Revoke every session of this user?"
                  class="inline"
                >
                  <button type="submit">Revoke all</button>
                </PostForm>
              ) : null}
            </div>
            {sessions.length === 0 ? <p class="muted">No sessions.</p> : null}
            <ul>
              {sessions.map((s) => (
                <li>
                  <div class="spread">
                    <span class="mono">{s.id}</span>
                    {s.effective === "active" ? (
                      <span class="badge ok">active</span>
                    ) : (
                      <span class="badge off">{s.effective}</span>
                    )}
                  </div>
                  <div class="muted">
                    Started {formatTime(s.created_at)} · last active {formatTime(s.last_active_at)}
                  </div>
                  {s.status === "active" ? (
                    <PostForm action={`${base}/sessions/${encodeURIComponent(s.id)}/revoke`} csrf={csrf}>
                      <button type="submit" aria-label={`Revoke session ${s.id}`}>
                        Revoke
                      </button>
                    </PostForm>
                  ) : null}
                </li>
              ))}
            </ul>
          </section>
          <section class="panel" aria-labelledby="access-heading">
            <h2 id="access-heading">Access</h2>
            <p>
              {user.banned ? <span class="badge danger">Banned</span> : null}{" "}
              {user.locked ? <span class="badge warn">Locked</span> : null}
              {!user.banned && !user.locked ? <span class="badge ok">May sign in</span> : null}
            </p>
            <p class="hint">
              Banning or locking ends every session at once and refuses sign-in, session tokens and Atlassian
              tokens until it is lifted.
            </p>
            <div class="row">
              <PostForm
                action={`${base}/${user.banned ? "unban" : "ban"}`}
                csrf={csrf}
                confirm={user.banned ? undefined : "Ban this user and end every session?"}
                class="inline"
              >
                <button type="submit" class={user.banned ? undefined : "danger"}>
                  {user.banned ? "Unban user" : "Ban user"}
                </button>
              </PostForm>
              <PostForm
                action={`${base}/${user.locked ? "unlock" : "lock"}`}
                csrf={csrf}
                confirm={user.locked ? undefined : "Lock this user and end every session?"}
                class="inline"
              >
                <button type="submit">{user.locked ? "Unlock user" : "Lock user"}</button>
              </PostForm>
            </div>
          </section>
          <section class="panel" aria-labelledby="danger-heading">
            <h2 id="danger-heading">Delete user</h2>
            <p class="hint">Removes the user, their Atlassian tokens and sessions. Cannot be undone.</p>
            <a class="button danger" href={`${base}/delete`}>
              Delete user…
            </a>
          </section>
        </div>
      </div>
    </InstanceFrame>
  );
}

export function DeleteUserPage(props: { ctx: InstanceContext; user: UserView; csrf: string }) {
  const { ctx, user, csrf } = props;
  const base = instancePath(ctx.instance.id, `users/${encodeURIComponent(user.id)}`);
  return (
    <InstanceFrame ctx={ctx} tab="users" title="Delete user" csrf={csrf}>
      <section class="panel">
        <h2>Delete {displayName(user)}?</h2>
        <p>
          This signs them out everywhere and deletes their profile, email addresses and Atlassian account with
          its tokens. If they sign in with Atlassian again, they become a new user.
        </p>
        <div class="row">
          <PostForm action={`${base}/delete`} csrf={csrf} class="inline">
            <button type="submit" class="danger">
              Delete user
            </button>
          </PostForm>
          <a class="button" href={base}>
            Cancel
          </a>
        </div>
      </section>
    </InstanceFrame>
  );
}
